import { connect, statusPatch, MERGE_PATCH } from '../api.ts';
const [ns, nStr, secStr, rateStr] = process.argv.slice(2);
const n = Number(nStr), secs = Number(secStr), rate = Number(rateStr);
const api = await connect('/tmp/podlife-cluster/kubeconfig');
const end = Date.now() + secs * 1000; let i = 0; let sent = 0;
while (Date.now() < end) {
  const batch = [];
  for (let k = 0; k < rate / 10; k++, i++) batch.push(api.call('PATCH', `/api/v1/namespaces/${ns}/pods/scale-${i % n}/status`, statusPatch(1 + Math.floor(i / n), i % 2 === 0, new Date()), MERGE_PATCH).then(() => sent++));
  await Promise.all(batch); await new Promise((r) => setTimeout(r, 100));
}
console.log('sent', sent); api.close();
