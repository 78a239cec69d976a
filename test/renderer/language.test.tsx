import { fakeHost, renderApp } from './renderApp';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';

describe('language switch', () => {
  it('switches the visible text, <html lang> and the saved setting', async () => {
    renderApp({ language: 'en' });
    expect(await screen.findByText('Sign in to Agent Desk')).toBeTruthy();

    fireEvent.click(screen.getByTestId('lang-zh-CN'));

    expect(await screen.findByText('登录坐席工作台')).toBeTruthy();
    expect(screen.getByTestId('login-submit').textContent?.replace(/\s/g, '')).toBe('登录');
    expect(document.documentElement.lang).toBe('zh-CN');
    await waitFor(() => expect(fakeHost.settings.language).toBe('zh-CN'));
    expect(fakeHost.callsOf('settings.set')).toEqual([{ language: 'zh-CN' }]);

    fireEvent.click(screen.getByTestId('lang-en'));
    expect(await screen.findByText('Sign in to Agent Desk')).toBeTruthy();
    expect(document.documentElement.lang).toBe('en');
  });

  it('starts in the saved language and translates statuses and error messages', async () => {
    renderApp({ signedIn: true, language: 'zh-CN' });
    await waitFor(() => expect(screen.getAllByTestId('order-result-row')).toHaveLength(3));
    expect(screen.getByTestId('connection-status').textContent).toBe('在线');
    expect(screen.getAllByTestId('order-result-row')[2]!.textContent).toContain('已发货');
    expect(screen.getByTestId('topbar-agent-name').textContent).toBe('林小雨 Lin Xiaoyu');
  });
});
