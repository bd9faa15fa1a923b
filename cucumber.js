// Steps are TypeScript: features/support/load-typescript.mjs registers tsx before they load, so a
// plain `npx cucumber-js features/x.feature` works (scripts/test.mjs also sets NODE_OPTIONS=--import tsx).
// No `paths` here: Cucumber then runs the files named on the command line, else features/**/*.feature.
export default {
  import: ['features/support/load-typescript.mjs', 'features/support/**/*.ts', 'features/step_definitions/**/*.ts'],
  format: ['progress', 'json:.tmp/cucumber.json'],
  formatOptions: { snippetInterface: 'async-await' },
};
