// AudioWorklet processor: forwards the first input channel to the page in blocks of about 20 ms.
class PcmForwarder extends AudioWorkletProcessor {
    constructor() {
        super();
        this.buffer = new Float32Array(1024);
        this.filled = 0;
    }

    process(inputs) {
        const input = inputs[0];
        if (input && input.length) {
            const channel = input[0];
            let offset = 0;
            while (offset < channel.length) {
                const n = Math.min(channel.length - offset, this.buffer.length - this.filled);
                this.buffer.set(channel.subarray(offset, offset + n), this.filled);
                this.filled += n;
                offset += n;
                if (this.filled === this.buffer.length) {
                    this.port.postMessage(this.buffer.slice(0));
                    this.filled = 0;
                }
            }
        }
        return true;
    }
}

registerProcessor("radscribe-pcm", PcmForwarder);
