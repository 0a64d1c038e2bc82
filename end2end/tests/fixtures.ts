import { type APIRequestContext, expect, type Page, type PlaywrightWorkerArgs, test as base } from '@playwright/test';

/** Accounts created by serve.sh. Test-only credentials. */
export const staff = { username: 'e2e-staff', password: 'e2e-staff-password', name: '网格员 测试' };
export const moderator = { username: 'e2e-moderator', password: 'e2e-moderator-password', name: '审核员 测试' };
export const resident = { username: '13800138001', password: 'e2e-resident-password', name: '居民 测试' };
export const admin = { username: 'e2e-admin', password: 'e2e-admin-password', name: '测试管理员' };

/**
 * Every page is watched for Content-Security-Policy violations and uncaught errors:
 * a broken optimiser or a CSP that blocks the app shows up here and nowhere else.
 */
export const test = base.extend<{ page: Page }>({
  page: async ({ page }, use) => {
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      const text = message.text();
      if (message.type() === 'error' && !text.startsWith('Failed to load resource')) {
        problems.push(`console error: ${text}`);
      }
    });
    await use(page);
    expect(problems, 'the page logged errors').toEqual([]);
  },
});

export { expect };

export async function signIn(page: Page, who: { username: string; password: string }) {
  await page.goto('/login');
  await page.getByLabel('用户名或手机号').fill(who.username);
  await page.getByLabel('密码').fill(who.password);
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page.getByRole('button', { name: '退出' })).toBeVisible();
}

/** A title no other test uses. */
export function unique(prefix: string): string {
  return `${prefix} ${Date.now().toString(36)}`;
}

type Playwright = PlaywrightWorkerArgs['playwright'];

let mobiles = 0;
/** A mainland mobile number no other test uses. */
export function mobile(prefix: string): string {
  mobiles += 1;
  return `${prefix}${String((Date.now() + mobiles * 7919) % 1e8).padStart(8, '0')}`;
}

/** An API client of its own (no page), signed in as `who` when given. */
export async function apiAs(
  playwright: Playwright,
  baseURL: string,
  who?: { username: string; password: string },
): Promise<APIRequestContext> {
  const api = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { Origin: baseURL } });
  if (who) expect((await api.post('/api/auth/login', { data: who })).ok()).toBeTruthy();
  return api;
}

/** A worker account of a grid's own, created by the admin. */
export type Worker = { username: string; password: string; display_name: string };

/**
 * A new grid with one building, laid out by the admin's CSV import: `rooms` as
 * `单元/房号` (`1单元/101`). The grid is run by `worker`, created for it, or else by the
 * fixtures' staff account. Returns the grid as `/api/community/structure` gives it.
 */
export async function layOutGrid(
  playwright: Playwright,
  baseURL: string,
  gridName: string,
  buildingName: string,
  rooms: string[],
  worker?: Worker,
) {
  const api = await apiAs(playwright, baseURL, admin);
  const lines = rooms.map((r) => {
    const [unit, room] = r.split('/');
    return `${gridName},${buildingName},${unit},${room}`;
  });
  const csv = ['网格,楼栋,单元,房号', ...lines].join('\n');
  expect((await api.post('/api/community/import', { data: { csv } })).ok()).toBeTruthy();
  let workerId: number;
  if (worker) {
    const created = await api.post('/api/users', { data: { ...worker, role: 'staff' } });
    expect(created.ok()).toBeTruthy();
    workerId = (await created.json()).id;
  } else {
    const users = await (await api.get('/api/users?role=staff&per_page=100')).json();
    workerId = users.items.find((u: { username: string }) => u.username === staff.username).id;
  }
  const structure = await (await api.get('/api/community/structure')).json();
  const grid = structure.grids.find((g: { name: string }) => g.name === gridName);
  expect((await api.put(`/api/community/grids/${grid.id}/staff`, { data: { user_ids: [workerId] } })).status()).toBe(204);
  await api.dispose();
  return grid as { id: number; buildings: { units: { rooms: { id: number; name: string }[] }[] }[] };
}

/** A new grid, run by the fixtures' staff account, with one building whose unit 1单元 has `rooms`. */
export async function staffBuilding(
  playwright: Playwright,
  baseURL: string,
  gridName: string,
  buildingName: string,
  rooms: string[],
) {
  const grid = await layOutGrid(playwright, baseURL, gridName, buildingName, rooms.map((r) => `1单元/${r}`));
  const roomIds: number[] = grid.buildings[0].units[0].rooms.map((r) => r.id);
  return { gridName, buildingName, rooms: roomIds };
}

/** A member of a household as the registration form sends it. */
export type Member = {
  name: string;
  relation: string;
  birth_year: number;
  phone?: string;
  groups?: string[];
  risk?: object;
};

/**
 * A household registering itself in `roomId` through `request`: a page's, so that the
 * page is signed in as the household, or a client of its own.
 */
export async function registerThrough(
  request: APIRequestContext,
  baseURL: string,
  roomId: number,
  phone: string,
  password: string,
  members: Member[],
  consentSensitive = true,
) {
  const registered = await request.post('/api/residents/register', {
    headers: { Origin: baseURL },
    data: { room_id: roomId, phone, password, consent_notice: true, consent_sensitive: consentSensitive, members },
  });
  expect(registered.status()).toBe(201);
}

/** A household of one registering itself in `roomId`, its phone a new mobile; its sign-in. */
export async function registerHousehold(
  playwright: Playwright,
  baseURL: string,
  roomId: number,
  person: { name: string; birth_year: number; risk?: object },
  password: string,
) {
  const phone = mobile('139');
  const home = await apiAs(playwright, baseURL);
  const members = [{ ...person, phone, relation: 'self' }];
  await registerThrough(home, baseURL, roomId, phone, password, members, person.risk !== undefined);
  await home.dispose();
  return { username: phone, password };
}
