// The seven steps in TypeScript, checked with `tsc --noEmit` against the package's
// generated index.d.ts (bindings-node/test.sh does it on every test run).
import { ManualClock, Oms } from 'ordo'
import type { NewOrder, Order, OrdoError, Shipment } from 'ordo'

async function main(): Promise<void> {
  const clock = new ManualClock(new Date('2026-03-02T09:00:00Z'))
  const oms: Oms = Oms.inMemory({ clock, carriers: { DHL: 'https://tracking.example/dhl/{tracking}' } })
  await oms.addChannel({ code: 'web', name: 'Web shop' })
  const nord = await oms.addLocation({ code: 'nord', name: 'Lager Nord', priority: 1 })
  await oms.receiveStock({ sku: 'TSHIRT-M', location: nord.id, quantity: 25 })

  const input: NewOrder = {
    channel: 'web',
    currency: 'EUR',
    externalRef: 'shop-1042',
    lines: [{ sku: 'TSHIRT-M', quantity: 2, unitPrice: '19.99', taxRate: '0.19' }],
    customer: { name: 'Anna Muster', email: 'anna@example.de' },
    shippingAddress: { name: 'Anna Muster', line1: 'Hauptstr. 1', postalCode: '10115', city: 'Berlin', country: 'DE' },
  }
  const order: Order = await oms.placeOrder(input) // 1. capture
  await oms.recordPayment(order.id, { kind: 'authorized', amount: order.totals.total.amount, currency: 'EUR' })
  await oms.validateOrder(order.id) // 2. validate
  const shipment: Shipment = (await oms.allocateOrder(order.id)).shipments[0] // 3. reserve
  await oms.confirmPick(shipment.id, []) // 4. pick
  await oms.packShipment(shipment.id, [{ weightGrams: 450 }]) // 5. pack …
  await oms.ship(shipment.id, { carrier: 'DHL', trackingNumber: '00340434161234567890' }) // … and ship
  await oms.recordTrackingEvent({ trackingNumber: '00340434161234567890', code: 'delivered' }) // 6. deliver
  const line = order.lines[0].id // 7. return one unit
  const ret = await oms.requestReturn(order.id, { lines: [{ line, quantity: 1 }], reason: 'does_not_fit' })
  await oms.approveReturn(ret.id)
  await oms.receiveReturn(ret.id, { location: nord.id })
  await oms.inspectReturn(ret.id, [{ line, quantity: 1, disposition: 'restock' }])
  const refund = (await oms.resolveReturn(ret.id)).refund
  const placedAt: Date = order.placedAt
  console.log(`refund ${refund?.amount} ${refund?.currency}; placed ${placedAt.toISOString()}; ${await oms.statusMessage(order.id, 'de')}`)

  try {
    await oms.placeOrder({ ...input, externalRef: 'shop-1043', lines: [{ sku: 'TSHIRT-M', quantity: 1, unitPrice: '1.001' }] })
  } catch (err) {
    const e = err as OrdoError
    if (e.code === 'INVALID_AMOUNT') console.log(`refused: ${e.code} ${e.variant}`)
  }
}

main().catch((e: unknown) => {
  console.error(e)
  process.exitCode = 1
})
