import { admin, expect, signIn, test } from './fixtures';

// 核酸检测: a grid worker schedules a round with a slot per unit, the household sees its
// slot on its home page, and the worker marks one person at the site and the elderly
// mother at the door (入户采样).
test('a testing round is scheduled, seen by the household, and its people marked tested', async ({
  page,
  browser,
  playwright,
  baseURL,
}) => {
  const stamp = Date.now().toString(36);
  const gridName = `核酸网格${stamp}`;
  const buildingName = `核酸-${stamp}号楼`;
  const roundName = `第3轮全员核酸检测 ${stamp}`;
  const phoneNumber = `137${String(Date.now() % 1e8).padStart(8, '0')}`;
  const worker = { username: `testing.worker.${stamp}`, password: 'testing-worker-2026' };

  await test.step('an admin lays out a building of two units and gives its grid a worker', async () => {
    const api = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { Origin: baseURL! } });
    expect((await api.post('/api/auth/login', { data: admin })).ok()).toBeTruthy();
    const csv = `网格,楼栋,单元,房号\n${gridName},${buildingName},1单元,101\n${gridName},${buildingName},2单元,201`;
    expect((await api.post('/api/community/import', { data: { csv } })).ok()).toBeTruthy();
    const created = await api.post('/api/users', {
      data: { ...worker, display_name: '核酸网格员', role: 'staff' },
    });
    expect(created.ok()).toBeTruthy();
    const { id } = await created.json();
    const structure = await (await api.get('/api/community/structure')).json();
    const grid = structure.grids.find((g: { name: string }) => g.name === gridName);
    expect((await api.put(`/api/community/grids/${grid.id}/staff`, { data: { user_ids: [id] } })).status()).toBe(204);
    await api.dispose();
  });

  const phone = await browser.newPage({ viewport: { width: 360, height: 800 } });
  await test.step('a resident and his mother, who lives alone, are registered in 1单元', async () => {
    const structure = await (await phone.request.get('/api/community/structure')).json();
    const room = structure.grids.find((g: { name: string }) => g.name === gridName).buildings[0].units[0].rooms[0];
    const registered = await phone.request.post('/api/residents/register', {
      headers: { Origin: baseURL! },
      data: {
        room_id: room.id,
        phone: phoneNumber,
        password: 'my-family-2026',
        consent_notice: true,
        members: [
          { name: '王建国', phone: phoneNumber, relation: 'self', birth_year: 1975 },
          { name: '王奶奶', relation: 'parent', birth_year: 1940, groups: ['elderly_alone'] },
        ],
      },
    });
    expect(registered.status()).toBe(201);
  });

  await test.step('the grid worker schedules today\'s round; the slots fill in unit by unit', async () => {
    await signIn(page, worker);
    await page.getByRole('link', { name: '核酸检测', exact: true }).click();
    await expect(page.getByRole('heading', { name: '核酸检测', level: 1 })).toBeVisible();
    await page.getByText('安排检测轮次').click();
    await page.getByLabel('名称').fill(roundName);
    await page.getByLabel('采样地点').fill('小区东门广场');
    await page.getByLabel(`${gridName} · ${buildingName}`).check();
    await expect(page.getByLabel(`${buildingName} 1单元 开始`)).toHaveValue('08:00');
    await expect(page.getByLabel(`${buildingName} 2单元 开始`)).toHaveValue('08:30');
    await page.getByLabel('每个单元（分钟）').fill('20');
    await page.getByLabel('每个单元（分钟）').dispatchEvent('change');
    await expect(page.getByLabel(`${buildingName} 2单元 结束`)).toHaveValue('08:40');
    await page.getByLabel(`${buildingName} 2单元 结束`).fill('09:00');
    await page.getByRole('button', { name: '发布检测安排' }).click();
    await expect(page.getByRole('heading', { name: roundName, level: 2 })).toBeVisible();
  });

  await test.step('the household sees its slot and who is still to be tested', async () => {
    await phone.goto('/my-household');
    const slot = phone.getByRole('region', { name: '核酸检测安排' });
    await expect(slot.getByText(roundName)).toBeVisible();
    await expect(slot.getByText('08:00–08:20')).toBeVisible();
    await expect(slot.getByText('小区东门广场')).toBeVisible();
    await expect(slot.getByRole('listitem', { name: '王建国' })).toContainText('待检测');
    await expect(slot.getByRole('listitem', { name: '王奶奶' })).toContainText('工作人员将上门采样');
  });

  await test.step('the worker marks him at the site and his mother at the door', async () => {
    const round = page.getByRole('region', { name: roundName });
    await expect(round.getByText('已检 0 / 应检 2')).toBeVisible();
    const him = round.getByRole('listitem', { name: '王建国' });
    await expect(him.getByText(/137\*\*\*\*\d{4}/)).toBeVisible();
    await him.getByRole('button', { name: '已检', exact: true }).click();
    await expect(round.getByRole('listitem', { name: '王建国' })).toHaveCount(0);

    await round.getByRole('link', { name: '入户采样' }).click();
    const mother = round.getByRole('listitem', { name: '王奶奶' });
    await expect(mother.getByText('独居老人')).toBeVisible();
    await mother.getByRole('button', { name: '上门已检' }).click();
    await expect(mother.getByText('已检（入户）')).toBeVisible();
    await expect(round.getByText('已检 2 / 应检 2')).toBeVisible();
    await expect(round.getByRole('row', { name: /1单元/ })).toContainText('2 / 2');
  });

  await test.step('the household sees both tested', async () => {
    await phone.reload();
    const slot = phone.getByRole('region', { name: '核酸检测安排' });
    await expect(slot.getByRole('listitem', { name: '王建国' })).toContainText('已检（现场）');
    await expect(slot.getByRole('listitem', { name: '王奶奶' })).toContainText('已检（入户）');
  });
});
