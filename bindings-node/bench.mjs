// Node side of the binding bench: a trivial call (`available`) and `placeOrder` (the same
// three-line order as benches/place_order.rs), median over rounds of sequential awaited
// calls, plus placeOrder with 64 Promises in flight (throughput over the libuv pool).
// Run by bench.sh against a release build; `node bench.mjs --json` prints seconds/call.
import { Oms } from 'ordo'

const json = process.argv.includes('--json')
const median = (v) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]

async function setup() {
  const oms = Oms.inMemory()
  await oms.addChannel({ code: 'web', name: 'Web' })
  const loc = await oms.addLocation({ code: 'nord', name: 'Nord' })
  for (const sku of ['A', 'B', 'C']) await oms.receiveStock({ sku, location: loc.id, quantity: 1_000_000 })
  return oms
}

let n = 0
const order = () => ({
  channel: 'web',
  currency: 'EUR',
  externalRef: `ext-${++n}`,
  lines: [
    { sku: 'A', quantity: 1, unitPrice: '19.99', taxRate: '0.19' },
    { sku: 'B', quantity: 2, unitPrice: '5.00', taxRate: '0.07' },
    { sku: 'C', quantity: 1, unitPrice: '12.50', taxRate: '0.19' },
  ],
  shippingAddress: { name: 'Anna Muster', line1: 'Hauptstr. 1', postalCode: '10115', city: 'Berlin', country: 'DE' },
})

async function rounds(count, calls, fn) {
  const out = []
  for (let r = 0; r < count; r++) {
    const t = process.hrtime.bigint()
    await fn(calls)
    out.push(Number(process.hrtime.bigint() - t) / 1e9 / calls)
  }
  return median(out)
}

const oms = await setup()
// Warm up (JIT, thread pool).
for (let i = 0; i < 500; i++) await oms.available('A')
for (let i = 0; i < 500; i++) await oms.placeOrder(order())

const result = {
  available: await rounds(15, 2000, async (c) => { for (let i = 0; i < c; i++) await oms.available('A') }),
  place_order: await rounds(15, 2000, async (c) => { for (let i = 0; i < c; i++) await oms.placeOrder(order()) }),
  place_order_64_in_flight: await rounds(15, 2048, async (c) => {
    for (let i = 0; i < c; i += 64) await Promise.all(Array.from({ length: 64 }, () => oms.placeOrder(order())))
  }),
  noop_promise: await rounds(15, 20000, async (c) => { for (let i = 0; i < c; i++) await Promise.resolve(i) }),
}
if (json) {
  console.log(JSON.stringify(result))
} else {
  for (const [k, v] of Object.entries(result)) console.log(`${k.padEnd(26)} ${(v * 1e6).toFixed(2).padStart(8)} µs/call`)
}
