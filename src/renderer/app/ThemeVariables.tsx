import { theme } from 'antd';
import type { CSSProperties, ReactNode } from 'react';

/**
 * Hands the antd theme tokens our own CSS (styles.css) needs to it as custom properties, so the
 * plain-CSS layout follows the theme (and a dark theme later) without hard-coded colours.
 */
export function ThemeVariables({ children }: { children: ReactNode }) {
  const { token } = theme.useToken();
  const variables = {
    '--desk-bg': token.colorBgContainer,
    '--desk-bg-layout': token.colorBgLayout,
    '--desk-border': token.colorBorderSecondary,
    '--desk-text': token.colorText,
    '--desk-text-secondary': token.colorTextSecondary,
    '--desk-row-hover': token.controlItemBgHover,
    '--desk-row-active': token.controlItemBgActive,
    '--desk-focus': token.colorPrimaryBorder,
    '--desk-warning-text': token.colorWarningText,
    '--desk-font-size': `${token.fontSize}px`,
    '--desk-font-size-sm': `${token.fontSizeSM}px`,
    '--desk-font-family': token.fontFamily,
  } as CSSProperties; // CSSProperties has no index signature for custom properties.
  return (
    <div className="desk-root" style={variables}>
      {children}
    </div>
  );
}
