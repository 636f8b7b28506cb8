// Picking a report template for an order: word overlap between the procedure and the template titles.
const modalityWords = {
    CR: ["radiograph", "xr", "x-ray"], DX: ["radiograph", "xr"], XR: ["radiograph", "xr"],
    CT: ["ct"], MR: ["mri", "mr"], US: ["ultrasound", "us"], MG: ["mammogram", "mammography"],
};

function words(text) {
    return String(text || "").toLowerCase().replace(/[^a-z0-9]+/g, " ").split(" ").filter(Boolean);
}

/** The slug of the template that best matches the order, or null. */
export function guessTemplate(templates, procedureName, modality) {
    const wanted = new Set([...words(procedureName), ...(modalityWords[String(modality || "").toUpperCase()] || [])]);
    let best = null;
    let bestScore = 0;
    for (const template of templates || []) {
        const have = new Set([...words(template.title), ...words(template.slug)]);
        let score = 0;
        for (const w of wanted) if (have.has(w)) score += w.length > 2 ? 2 : 1;
        if (score > bestScore) {
            best = template.slug;
            bestScore = score;
        }
    }
    return bestScore >= 2 ? best : null;
}
