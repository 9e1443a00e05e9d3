export { fileAnnualReturns } from './file-annual-returns.js';
export { lookupEnterprise } from './lookup-enterprise.js';
export { workerCanary } from './worker-canary.js';
