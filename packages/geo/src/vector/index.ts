// Filled in by issue 19 work in progress.
export {};
