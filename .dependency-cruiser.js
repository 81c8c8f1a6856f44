/**
 * The layer rules of DESIGN.md ("data flows one way"), as dependency-cruiser checks them:
 * config -> policies -> constructs -> stacks, and the proofs (preflight) and plan beside them.
 * Each rule forbids reaching a layer at all, through any chain of imports, so a module in
 * between cannot hide a backward edge. __tests__/dependency-rules.test.ts runs it in `npm test`.
 */
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "config-stays-below-policies",
      comment:
        "lib/config turns a file into a model: it must not know the documents, constructs or stacks built from that model. Checks that need them (policy sizes) live above both (lib/policy-sizes.ts).",
      severity: "error",
      from: { path: "^lib/config/" },
      to: { path: "^(lib/policies/|lib/constructs/|stacks/)", reachable: true },
    },
    {
      name: "policies-stay-pure",
      comment: "lib/policies are pure functions of the model: no cdktf wiring.",
      severity: "error",
      from: { path: "^lib/policies/" },
      to: { path: "^lib/constructs/", reachable: true },
    },
    {
      name: "preflight-has-its-own-statement",
      comment:
        "Preflight proves the synthesized JSON against its own statement of what S3 sends: importing the policy builders or their action constants (lib/perms.ts) would make it agree with them by construction.",
      severity: "error",
      from: { path: "^lib/preflight/" },
      to: { path: "^(lib/policies/|lib/perms\\.ts$)", reachable: true },
    },
    {
      name: "plan-reads-json-not-constructs",
      comment: "lib/plan works on the synthesized JSON and the model, never on constructs.",
      severity: "error",
      from: { path: "^lib/plan/" },
      to: { path: "^lib/constructs/", reachable: true },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "^(node_modules|dist|cdktf\\.out)" },
    tsConfig: { fileName: "tsconfig.json" },
    tsPreCompilationDeps: true,
  },
};
