// Node-RED settings of the bench's Node-RED row (bench/e2e/latency.sh --node-red): headless (no editor, no admin
// API, no HTTP server at all, since httpNodeRoot is off too and nothing is served statically), no telemetry or update
// check, no credentials file (the flow has no secrets), no automatic module installs. The flow file and Node-RED's
// own state live in the userDir the script passes with --userDir, a scratch directory removed on exit.
module.exports = {
    flowFile: "flows.json",
    credentialSecret: false,
    httpAdminRoot: false,
    httpNodeRoot: false,
    disableEditor: true,
    diagnostics: { enabled: false, ui: false },
    runtimeState: { enabled: false, ui: false },
    telemetry: { enabled: false, updateNotification: false },
    externalModules: { autoInstall: false, palette: { allowInstall: false } },
    // info, not warn: the script waits for the flow to answer, and the log shows when the broker connection came up.
    logging: { console: { level: "info", metrics: false, audit: false } },
    // The function node runs the flow's rule; no timeout, as in Node-RED's default.
    functionTimeout: 0,
    exportGlobalContextKeys: false
};
