/**
 * Demo accounts the reference gateway creates in `--demo` mode only. Every demo user has the
 * password below; the desktop's "demo sign-in" uses the frontline account.
 */
export const DEMO_PASSWORD = 'demo';
export const DEMO_USERS = [
  { username: 'frontline', displayName: '林小雨 Lin Xiaoyu', role: 'frontline' },
  { username: 'logistics', displayName: '陈志强 Chen Zhiqiang', role: 'logistics' },
  { username: 'aftersales', displayName: 'Maria Gomez', role: 'after_sales' },
  { username: 'supervisor', displayName: '王静 Wang Jing', role: 'supervisor' },
  { username: 'admin', displayName: 'Sam Taylor', role: 'admin' },
] as const;
export const DEMO_LOGIN = { username: 'frontline', password: DEMO_PASSWORD } as const;
