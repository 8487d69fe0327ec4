// Filled in by issue 20 work in progress.
export {};
