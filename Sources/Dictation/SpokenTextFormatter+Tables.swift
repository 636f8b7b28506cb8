/// The word tables of ``SpokenTextFormatter``: spoken punctuation, units, abbreviations and months.
///
/// The abbreviations are the inverse of `ABBREVIATIONS` in `scripts/spoken_text.py`, which turns written text
/// into the spoken form the language model and the benchmark references are written in.
extension SpokenTextFormatter {
    /// Spoken punctuation that ends or separates words.
    static let punctuation: [String: String] = [
        "period": ".", "full stop": ".", "comma": ",", "colon": ":", "semicolon": ";",
        "question mark": "?", "exclamation point": "!", "exclamation mark": "!",
        "open paren": "(", "open parenthesis": "(", "close paren": ")", "close parenthesis": ")",
        "new paragraph": "\n\n", "new line": "\n", "next line": "\n",
    ]

    /// Spoken punctuation that joins its neighbours without spaces: "well hyphen defined" → "well-defined".
    static let joiners: [String: String] = ["hyphen": "-", "dash": "-", "slash": "/"]

    /// Units, written after a number (or a dimension "3 x 4"). "%" and "°" attach to the number.
    static let units: [String: String] = [
        "millimeter": "mm", "millimeters": "mm", "centimeter": "cm", "centimeters": "cm",
        "meter": "m", "meters": "m", "milliliter": "mL", "milliliters": "mL", "cc": "mL", "ccs": "mL", "c c": "cc",
        "hounsfield units": "HU", "hounsfield unit": "HU", "percent": "%", "degrees": "°", "degree": "°",
        "millimeters of mercury": "mmHg", "centimeters per second": "cm/s", "milligrams": "mg",
        "milligram": "mg", "grams": "g", "gram": "g", "kilograms": "kg", "kilogram": "kg",
        "millisieverts": "mSv", "millisievert": "mSv", "milligray": "mGy", "megahertz": "MHz",
        "milliseconds": "ms", "millisecond": "ms", "tesla": "T", "square millimeters": "mm²",
        "square centimeters": "cm²", "cubic centimeters": "cm³",
    ]

    /// Letters and words spoken for an abbreviation, longest first when they share a beginning.
    static let abbreviations: [String: String] = [
        "c t": "CT", "c t a": "CTA", "m r i": "MRI", "m r": "MR", "m r a": "MRA", "m r c p": "MRCP",
        "p a": "PA", "a p": "AP", "p e": "PE", "d v t": "DVT", "i v c": "IVC", "c b d": "CBD",
        "a c l": "ACL", "p c l": "PCL", "m c l": "MCL", "l c l": "LCL", "e k g": "EKG", "e c g": "ECG",
        "i v": "IV", "d w i": "DWI", "a d c": "ADC", "i c u": "ICU", "c o p d": "COPD", "c h f": "CHF",
        "e t t": "ETT", "n g": "NG", "l v": "LV", "r v": "RV", "s v c": "SVC", "g i": "GI", "g u": "GU",
        "a c": "AC", "pet": "PET", "flair": "FLAIR", "stir": "STIR", "pick line": "PICC line",
        "x ray": "X-ray", "x rays": "X-rays", "i": "I",
    ]

    /// Reporting systems written with a category after them: "bi rads four a" → "BI-RADS 4A".
    static let scoringSystems: [String: String] = [
        "bi rads": "BI-RADS", "birads": "BI-RADS", "ti rads": "TI-RADS", "li rads": "LI-RADS",
        "pi rads": "PI-RADS", "lung rads": "Lung-RADS", "o rads": "O-RADS",
    ]

    static let months = [
        "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
        "november", "december",
    ]

    /// Looks up the longest phrase (up to `longest` words) of a table at `index`.
    static func match(_ table: [String: String], in words: [String], at index: Int, longest: Int = 4)
        -> (String, Int)?
    {
        for length in stride(from: longest, through: 1, by: -1) where index + length <= words.count {
            let phrase = words[index..<index + length].joined(separator: " ")
            if let value = table[phrase] { return (value, length) }
        }
        return nil
    }
}
