export default { import: ['node_modules/gazelle-ts/dist/api/harness-steps.js'] };
