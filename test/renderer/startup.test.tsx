import { fakeHost, renderApp } from './renderApp';
import { fireEvent, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';

describe('startup', () => {
  it('says why it could not start, and starts on retry', async () => {
    renderApp({ failing: { 'settings.get': 'GATEWAY_UNAVAILABLE' } });

    expect(await screen.findByText('Agent Desk could not start')).toBeTruthy();
    expect(screen.getByText('The gateway cannot be reached')).toBeTruthy();

    fakeHost.failures.clear();
    fireEvent.click(screen.getByRole('button', { name: 'Retry' }));
    expect(await screen.findByTestId('login-username')).toBeTruthy();
  });
});
