import { Testing } from "cdktf";

Testing.setupJest();

// On Node.js 20 the AWS SDK prints a nine-line NodeVersionSupportWarning in every test file that
// builds a client: noise in `npm test`, which runs on Node.js 20 too. Real runs keep it (README,
// Warnings); the tests switch it off with the SDK's own variable.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";
