// The runtime arrives with issue 3; until then `pnpm start` says so instead of failing.
console.log('Waymark runtime: not yet. The server, ingestion API and workers arrive with the runtime issue.');
