// Temporary (issue 12): lint findings in files that other engineers are editing in parallel,
// switched off per rule and file so that npm test passes meanwhile (written by
// scripts/eslint-temporary.mjs). The lead's one repo-wide pass (npx eslint . --fix, then the rest
// by hand) fixes them and empties this list. The counts are the findings at the time.
export const TEMPORARY = [
  {
    // 7 findings
    files: [
      'src/extension/editor/commands.ts', // 2
      'src/model/schemaCheck.ts', // 1
      'src/model/yamlConvert.ts', // 2
      'test/integration/editor.diagnostics.test.ts', // 2
    ],
    rules: { '@typescript-eslint/no-base-to-string': 'off' },
  },
  {
    // 1 finding
    files: [
      'test/webview/harness/fakeHost.ts', // 1
    ],
    rules: { '@typescript-eslint/no-redundant-type-constituents': 'off' },
  },
  {
    // 27 findings
    files: [
      'src/debug/host.ts', // 1
      'src/model/parse.ts', // 1
      'src/model/places.ts', // 4
      'src/model/schemaMessages.ts', // 1
      'test/integration/editor.commands.test.ts', // 1
      'test/integration/editor.hovers.test.ts', // 2
      'test/integration/helpers.ts', // 1
      'test/unit/debug/adapter.test.ts', // 5
      'test/unit/debug/dapClient.ts', // 4
      'test/unit/model/gradient-layouts.property.test.ts', // 4
      'test/unit/model/places.test.ts', // 1
      'test/webview/helpers.ts', // 1
      'test/webview/interaction.test.ts', // 1
    ],
    rules: { '@typescript-eslint/no-unnecessary-type-assertion': 'off' },
  },
  {
    // 5 findings
    files: [
      'src/debug/adapter.ts', // 1
      'test/unit/report/equations.test.ts', // 1
      'test/webview/rendering.test.ts', // 3
    ],
    rules: { '@typescript-eslint/no-unsafe-argument': 'off' },
  },
  {
    // 6 findings
    files: [
      'src/engine/run.ts', // 3
      'src/engine/tensor.ts', // 1
      'src/extension/errors.ts', // 1
      'test/integration/editor.commands.test.ts', // 1
    ],
    rules: { '@typescript-eslint/no-unsafe-assignment': 'off' },
  },
  {
    // 17 findings
    files: [
      'src/debug/adapter.ts', // 5
      'src/extension/errors.ts', // 2
      'src/extension/extension.ts', // 1
      'test/integration/editor.commands.test.ts', // 6
      'test/integration/extension.test.ts', // 2
      'test/unit/debug/adapter.test.ts', // 1
    ],
    rules: { '@typescript-eslint/no-unsafe-member-access': 'off' },
  },
  {
    // 5 findings
    files: [
      'src/extension/workerRunner.ts', // 1
      'test/unit/model/robustness.test.ts', // 1
      'test/webview/rendering.test.ts', // 3
    ],
    rules: { '@typescript-eslint/no-unsafe-return': 'off' },
  },
  {
    // 3 findings
    files: [
      'src/cli/dap.ts', // 1
      'test/unit/debug/dapClient.ts', // 2
    ],
    rules: { '@typescript-eslint/require-await': 'off' },
  },
  {
    // 3 findings
    files: [
      'test/integration/editor.diagnostics.test.ts', // 1
      'test/unit/panel/viewModel.test.ts', // 2
    ],
    rules: { '@typescript-eslint/restrict-template-expressions': 'off' },
  },
  {
    // 9 findings
    files: [
      'src/cli/diagnostics.ts', // 2
      'webview/controls.ts', // 5
      'webview/matrixViews.ts', // 1
      'webview/timeline.ts', // 1
    ],
    rules: { '@typescript-eslint/unbound-method': 'off' },
  },
  {
    // 10 findings
    files: [
      'test/integration/editor.commands.test.ts', // 2
      'test/integration/editor.diagnostics.test.ts', // 2
      'test/integration/editor.hovers.test.ts', // 1
      'test/unit/editor/hoverContent.test.ts', // 2
      'test/unit/model/places.test.ts', // 1
      'test/unit/model/weightEdits.test.ts', // 2
    ],
    rules: { 'no-regex-spaces': 'off' },
  },
];
