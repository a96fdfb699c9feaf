const { startEditorSession } = require('/work/main/out/test/harness/editorSession');
const w = require('/work/main/out/test/harness/workbench');
(async () => {
  const s = await startEditorSession('dbgw');
  const page = s.page;
  try {
    await w.runCommand(page, 'Welcome: Open Walkthrough...');
    await page.waitForTimeout(1500);
    await page.screenshot({ path: '/tmp/w0.png' });
    await w.pickQuickItem(page, 'Authorization Code Flow');
    await page.waitForTimeout(2500);
    await page.screenshot({ path: '/tmp/w1.png' });
    const steps = await page.locator('.getting-started-step').evaluateAll(els => els.map(e => e.className + ' | ' + (e.querySelector('.step-title')||{}).textContent));
    console.log(steps.join('\n'));
    console.log(await page.locator('.getting-started-step.expanded').first().innerHTML().catch(e=>String(e)));
  } catch (e) { console.log('ERR', e.message); await page.screenshot({ path: '/tmp/werr.png' }); }
  finally { await s.stop(); }
})();
