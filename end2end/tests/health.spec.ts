import { expect, layOutGrid, registerThrough, signIn, test } from './fixtures';

// Home medical observation (居家医学观察) asks for a daily check-in wherever the household
// lives; supplies.spec.ts covers the other way in, a sealed building.
test('a household under observation checks in, and the grid worker follows up the fever', async ({
  page,
  browser,
  playwright,
  baseURL,
}) => {
  const stamp = Date.now().toString(36);
  const gridName = `健康网格${stamp}`;
  const buildingName = `健康-${stamp}号楼`;
  const phoneNumber = `139${String(Date.now() % 1e8).padStart(8, '0')}`;
  const worker = { username: `health.worker.${stamp}`, password: 'health-worker-2026' };
  const day = (offset: number) =>
    new Date(Date.now() + 8 * 3600_000 + offset * 86_400_000).toISOString().slice(0, 10);

  let roomId = 0;
  await test.step('an admin lays out a building and gives its grid a worker', async () => {
    const grid = await layOutGrid(playwright, baseURL!, gridName, buildingName, ['1单元/101'], {
      ...worker,
      display_name: '健康网格员',
    });
    roomId = grid.buildings[0].units[0].rooms[0].id;
  });

  const phone = await browser.newPage();
  await test.step('a resident and his mother, both under observation, are registered', async () => {
    const observation = { observation_start: day(-3), observation_end: day(7), category: 'close_contact' };
    await registerThrough(phone.request, baseURL!, roomId, phoneNumber, 'my-family-2026', [
      { name: '王建国', phone: phoneNumber, relation: 'self', birth_year: 1975, risk: observation },
      { name: '王奶奶', relation: 'parent', birth_year: 1940, groups: ['elderly_alone'], risk: observation },
    ]);
  });

  await test.step('he reports a fever for himself and all is well for his mother', async () => {
    await phone.goto('/my-household');
    await expect(phone.getByRole('heading', { name: '今日健康打卡' })).toBeVisible();
    const him = phone.getByRole('listitem', { name: '王建国' });
    await him.getByText('填写体温和症状').click();
    await him.getByLabel('体温（℃）').fill('38.2');
    await him.getByLabel('咳嗽').check();
    await him.getByRole('button', { name: '提交' }).click();
    await expect(him.getByText('已打卡 · 38.2 ℃ · 发热 · 咳嗽')).toBeVisible();

    const mother = phone.getByRole('listitem', { name: '王奶奶' });
    await mother.getByRole('button', { name: '正常' }).click();
    await expect(mother.getByText('已打卡 · 全部正常')).toBeVisible();
    await expect(phone.getByRole('button', { name: '全家正常' })).toBeHidden();
  });

  await test.step('the grid worker sees the fever and acknowledges it with a note', async () => {
    await signIn(page, worker);
    await page.getByRole('link', { name: '健康监测' }).click();
    await expect(page.getByRole('heading', { name: '健康监测' })).toBeVisible();
    await page.getByRole('link', { name: '发热' }).click();
    const entry = page.getByRole('listitem', { name: '王建国' });
    await expect(entry.getByText('38.2 ℃ · 咳嗽')).toBeVisible();
    await expect(entry.getByText(/139\*\*\*\*\d{4}/)).toBeVisible();
    await expect(page.getByRole('listitem', { name: '王奶奶' })).toHaveCount(0);
    await entry.getByLabel('跟进记录').fill('已电话联系，安排上门采样');
    await entry.getByRole('button', { name: '确认并记录' }).click();
    await expect(entry.getByText('已跟进')).toBeVisible();
  });
});
