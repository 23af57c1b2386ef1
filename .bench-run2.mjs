import { measureCaptureOverhead } from './dist/bench/capture.js';
console.log(JSON.stringify(await measureCaptureOverhead(30)));
