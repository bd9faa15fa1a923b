// Cucumber runs under tsx (scripts/test.mjs sets NODE_OPTIONS=--import tsx), so steps are TypeScript.
export default {
  paths: ['features/**/*.feature'],
  import: ['features/support/**/*.ts', 'features/step_definitions/**/*.ts'],
  format: ['progress', 'json:.tmp/cucumber.json'],
  formatOptions: { snippetInterface: 'async-await' },
};
