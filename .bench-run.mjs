import { measureExecutors } from './dist/bench/executors.js';
const t = Date.now();
const r = await measureExecutors();
console.log(JSON.stringify(r), (Date.now() - t) / 1000, 's');
