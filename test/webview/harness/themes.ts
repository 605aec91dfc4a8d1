/**
 * The theme variables VS Code puts on a webview's <html>, for the headless panel tests: a subset
 * of Dark Modern, Light Modern and High Contrast (dark) — the ones the panel and the toolkit read.
 */
export type ThemeKind = 'dark' | 'light' | 'high-contrast';

const common = {
  'font-family': '-apple-system, BlinkMacSystemFont, "Segoe WPC", "Segoe UI", "Ubuntu", "Droid Sans", sans-serif',
  'font-size': '13px',
  'font-weight': 'normal',
  'editor-font-family': '"Droid Sans Mono", "monospace", monospace',
  'editor-font-size': '14px',
};

export const THEMES: Record<ThemeKind, { readonly bodyClass: string; readonly vars: Readonly<Record<string, string>> }> = {
  dark: {
    bodyClass: 'vscode-dark',
    vars: {
      ...common,
      'editor-background': '#1f1f1f', 'editor-foreground': '#cccccc', foreground: '#cccccc', descriptionForeground: '#9d9d9d',
      focusBorder: '#0078d4', 'button-background': '#0078d4', 'button-foreground': '#ffffff', 'button-hoverBackground': '#026ec1',
      'button-secondaryBackground': '#313131', 'button-secondaryForeground': '#cccccc', 'button-secondaryHoverBackground': '#3c3c3c', 'button-border': '#ffffff12',
      'input-background': '#313131', 'input-border': '#3c3c3c', 'input-foreground': '#cccccc',
      'dropdown-background': '#313131', 'dropdown-border': '#3c3c3c', 'dropdown-foreground': '#cccccc', 'dropdown-listBackground': '#1f1f1f',
      'panel-border': '#2b2b2b', 'widget-border': '#313131', 'textLink-foreground': '#4daafc',
      'charts-blue': '#3794ff', 'charts-orange': '#d18616', 'charts-red': '#f14c4c', 'charts-green': '#89d185',
      errorForeground: '#f85149', 'editorWarning-foreground': '#cca700', 'testing-iconPassed': '#73c991',
      'editor-findMatchHighlightBackground': 'rgba(234, 92, 0, 0.33)', 'editor-findMatchBackground': '#9e6a03', 'list-hoverBackground': '#2a2d2e',
      'badge-background': '#616161', 'badge-foreground': '#f8f8f8', 'notifications-background': '#1f1f1f', 'notifications-foreground': '#cccccc', 'notifications-border': '#2b2b2b',
      'inputValidation-warningBackground': '#352a05', 'inputValidation-errorBackground': '#5a1d1d', 'scrollbarSlider-background': 'rgba(121, 121, 121, 0.4)',
    },
  },
  light: {
    bodyClass: 'vscode-light',
    vars: {
      ...common,
      'editor-background': '#ffffff', 'editor-foreground': '#3b3b3b', foreground: '#3b3b3b', descriptionForeground: '#717171',
      focusBorder: '#005fb8', 'button-background': '#005fb8', 'button-foreground': '#ffffff', 'button-hoverBackground': '#0258a8',
      'button-secondaryBackground': '#e5e5e5', 'button-secondaryForeground': '#3b3b3b', 'button-secondaryHoverBackground': '#cccccc', 'button-border': '#0000001a',
      'input-background': '#ffffff', 'input-border': '#cecece', 'input-foreground': '#3b3b3b',
      'dropdown-background': '#ffffff', 'dropdown-border': '#cecece', 'dropdown-foreground': '#3b3b3b', 'dropdown-listBackground': '#ffffff',
      'panel-border': '#e5e5e5', 'widget-border': '#e5e5e5', 'textLink-foreground': '#005fb8',
      'charts-blue': '#1a85ff', 'charts-orange': '#d18616', 'charts-red': '#e51400', 'charts-green': '#388a34',
      errorForeground: '#a1260d', 'editorWarning-foreground': '#bf8803', 'testing-iconPassed': '#388a34',
      'editor-findMatchHighlightBackground': 'rgba(234, 92, 0, 0.33)', 'editor-findMatchBackground': '#a8ac94', 'list-hoverBackground': '#f2f2f2',
      'badge-background': '#cccccc', 'badge-foreground': '#3b3b3b', 'notifications-background': '#ffffff', 'notifications-foreground': '#3b3b3b', 'notifications-border': '#e5e5e5',
      'inputValidation-warningBackground': '#f6f5d2', 'inputValidation-errorBackground': '#f2dede', 'scrollbarSlider-background': 'rgba(100, 100, 100, 0.4)',
    },
  },
  'high-contrast': {
    bodyClass: 'vscode-high-contrast',
    vars: {
      ...common,
      'editor-background': '#000000', 'editor-foreground': '#ffffff', foreground: '#ffffff', descriptionForeground: '#ffffff',
      focusBorder: '#f38518', contrastBorder: '#6fc3df', contrastActiveBorder: '#f38518',
      'button-background': '#000000', 'button-foreground': '#ffffff', 'button-border': '#6fc3df', 'button-secondaryForeground': '#ffffff',
      'input-background': '#000000', 'input-border': '#6fc3df', 'input-foreground': '#ffffff',
      'dropdown-background': '#000000', 'dropdown-border': '#6fc3df', 'dropdown-foreground': '#ffffff', 'dropdown-listBackground': '#000000',
      'panel-border': '#6fc3df', 'textLink-foreground': '#21a6ff',
      'charts-blue': '#3794ff', 'charts-orange': '#d18616', 'charts-red': '#f14c4c', 'charts-green': '#89d185',
      errorForeground: '#f48771', 'editorWarning-foreground': '#ffd370', 'testing-iconPassed': '#73c991',
      'editor-findMatchHighlightBorder': '#f38518', 'editor-findMatchBorder': '#f38518', 'list-hoverBackground': 'transparent',
      'badge-background': '#000000', 'badge-foreground': '#ffffff', 'notifications-background': '#000000', 'notifications-foreground': '#ffffff', 'notifications-border': '#6fc3df',
      'inputValidation-warningBackground': '#000000', 'inputValidation-errorBackground': '#000000',
    },
  },
};
