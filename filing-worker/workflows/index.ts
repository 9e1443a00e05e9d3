export { workerCanary } from './worker-canary.js';
