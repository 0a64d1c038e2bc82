import { expect, layOutGrid, registerThrough, signIn, test } from './fixtures';

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

  let roomId = 0;
  await test.step('an admin lays out a building of two units and gives its grid a worker', async () => {
    const grid = await layOutGrid(playwright, baseURL!, gridName, buildingName, ['1单元/101', '2单元/201'], {
      ...worker,
      display_name: '核酸网格员',
    });
    roomId = grid.buildings[0].units[0].rooms[0].id;
  });

  const phone = await browser.newPage({ viewport: { width: 360, height: 800 } });
  await test.step('a resident and his mother, who lives alone, are registered in 1单元', async () => {
    await registerThrough(
      phone.request,
      baseURL!,
      roomId,
      phoneNumber,
      'my-family-2026',
      [
        { name: '王建国', phone: phoneNumber, relation: 'self', birth_year: 1975 },
        { name: '王奶奶', relation: 'parent', birth_year: 1940, groups: ['elderly_alone'] },
      ],
      false,
    );
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
