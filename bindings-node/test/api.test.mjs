// The public API of the `ordo` package: the seven steps, every error code with its
// details, money as strings only, concurrency on one Oms, SQLite files.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Oms, ManualClock } from 'ordo'

const START = new Date('2026-03-02T09:00:00Z')
const address = { name: 'Anna Muster', line1: 'Hauptstr. 1', postalCode: '10115', city: 'Berlin', country: 'DE' }
const line = (sku, quantity, unitPrice, extra = {}) => ({ sku, quantity, unitPrice, taxRate: '0.19', ...extra })
const newOrder = (ref, lines, extra = {}) => ({
  channel: 'web', currency: 'EUR', externalRef: ref, lines,
  customer: { name: 'Anna Muster', email: 'anna@example.de' }, shippingAddress: address, ...extra,
})

/** A shop with channel `web`, warehouse `nord` (25 TSHIRT-M) and a manual clock. */
async function shop(oms = undefined) {
  const clock = new ManualClock(START)
  oms ??= Oms.inMemory({ clock, carriers: { DHL: 'https://tracking.example/dhl/{tracking}' } })
  await oms.addChannel({ code: 'web', name: 'Web shop' })
  const nord = await oms.addLocation({ code: 'nord', name: 'Lager Nord', priority: 1 })
  await oms.receiveStock({ sku: 'TSHIRT-M', location: nord.id, quantity: 25 })
  return { oms, clock, nord }
}

/** Awaits a rejection and returns the error. */
async function rejection(promise) {
  try {
    await promise
  } catch (e) {
    return e
  }
  assert.fail('expected the promise to reject')
}

async function delivered(oms, nord, ref = 'shop-1042') {
  const order = await oms.placeOrder(newOrder(ref, [line('TSHIRT-M', 2, '19.99')]))
  await oms.recordPayment(order.id, { kind: 'authorized', amount: order.totals.total.amount, currency: 'EUR' })
  await oms.validateOrder(order.id)
  const [shipment] = (await oms.allocateOrder(order.id)).shipments
  await oms.confirmPick(shipment.id)
  await oms.packShipment(shipment.id, [{ weightGrams: 450 }])
  await oms.ship(shipment.id, { carrier: 'DHL', trackingNumber: `0034-${ref}` })
  await oms.recordTrackingEvent({ trackingNumber: `0034-${ref}`, code: 'delivered' })
  return { order, shipment }
}

test('the seven steps: capture, validate, reserve, pick, pack and ship, deliver, return', async () => {
  const { oms, nord } = await shop()
  // 1. capture
  const order = await oms.placeOrder(newOrder('shop-1042', [line('TSHIRT-M', 2, '19.99')], { metadata: { shop_id: '7', utmSource: 'x' } }))
  assert.equal(order.state, 'placed')
  assert.equal(order.number, '1001')
  assert.deepEqual(order.totals.total, { amount: '39.98', currency: 'EUR' })
  assert.deepEqual(order.totals.tax, { amount: '6.38', currency: 'EUR' })
  assert.deepEqual(order.metadata, { shop_id: '7', utmSource: 'x' }, 'metadata keys are the user\'s')
  assert.ok(order.placedAt instanceof Date && order.placedAt.getTime() === START.getTime())
  assert.match(order.id, /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}$/)
  const paid = await oms.recordPayment(order.id, { kind: 'authorized', amount: '39.98', currency: 'EUR' })
  assert.equal(paid.paymentStatus, 'authorized')
  // 2. validate
  assert.equal((await oms.validateOrder(order.id)).state, 'confirmed')
  // 3. reserve
  const allocation = await oms.allocateOrder(order.id)
  assert.equal(allocation.shipments.length, 1)
  assert.equal(allocation.order.lines[0].quantities.allocated, 2)
  assert.equal(await oms.available('TSHIRT-M'), 23)
  const shipment = allocation.shipments[0]
  assert.equal(shipment.location, nord.id)
  // 4. pick
  assert.equal((await oms.confirmPick(shipment.id, [])).state, 'picked')
  // 5. pack and ship
  assert.equal((await oms.packShipment(shipment.id, [{ weightGrams: 450, dimensionsMm: [300, 200, 100] }])).state, 'packed')
  const slip = await oms.packingSlip(shipment.id, 'de')
  assert.equal(slip.orderNumber, '1001')
  assert.equal(slip.text, [
    'Lieferschein — Bestellung 1001 (2026-03-02)', '', 'Absender:', '  Lager Nord', 'Empfänger:', '  Anna Muster', '  Hauptstr. 1',
    '  10115 Berlin', '  DE', '', 'Menge  SKU              Artikel', '    2  TSHIRT-M         TSHIRT-M', '',
    'Sie können Artikel innerhalb von 14 Tagen nach Erhalt zurückgeben. Bitte melden Sie die Rücksendung mit der Bestellnummer 1001 an und legen Sie diesen Lieferschein bei.',
    '',
  ].join('\n'))
  assert.ok(slip.html.startsWith('<!DOCTYPE html>\n<html lang="de">'), slip.html)
  assert.ok(slip.html.includes('<tr><td>2</td><td>TSHIRT-M</td><td>TSHIRT-M</td></tr>'), slip.html)
  const shipped = await oms.ship(shipment.id, { carrier: 'DHL', trackingNumber: '00340434161234567890' })
  assert.equal(shipped.trackingUrl, 'https://tracking.example/dhl/00340434161234567890')
  assert.ok(shipped.shippedAt instanceof Date)
  // 6. deliver
  const done = await oms.recordTrackingEvent({ trackingNumber: '00340434161234567890', code: 'delivered' })
  assert.equal(done.state, 'delivered')
  assert.equal((await oms.getOrder(order.id)).state, 'completed')
  assert.equal(await oms.statusMessage(order.id, 'de'), 'Ihre Bestellung 1001 wurde zugestellt.')
  // 7. return one unit
  const lineId = order.lines[0].id
  const ret = await oms.requestReturn(order.id, { lines: [{ line: lineId, quantity: 1 }], reason: 'does_not_fit' })
  assert.equal(ret.state, 'requested')
  await oms.approveReturn(ret.id)
  await oms.receiveReturn(ret.id, { location: nord.id })
  await oms.inspectReturn(ret.id, [{ line: lineId, quantity: 1, disposition: 'restock' }])
  const resolved = await oms.resolveReturn(ret.id)
  assert.equal(resolved.state, 'resolved')
  assert.deepEqual(resolved.refund, { amount: '19.99', currency: 'EUR' })
  assert.equal(await oms.available('TSHIRT-M'), 24)
  const events = await oms.pollEvents(100)
  const history = [
    'order_placed', 'payment_recorded', 'order_confirmed', 'shipment_created', 'order_allocated', 'shipment_picked', 'shipment_packed',
    'shipment_shipped', 'shipment_status_changed', 'order_completed', 'return_requested', 'return_approved', 'return_received',
    'return_inspected', 'refund_due', 'customer_notification_required',
  ]
  // The outbox has the order's events and the stock changes (receipt, reservation, shipment, restock).
  assert.deepEqual(events.filter((e) => e.type !== 'stock_changed').map((e) => e.type), history)
  assert.equal(events.filter((e) => e.type === 'stock_changed').length, 4)
  assert.ok(events.every((e) => e.at instanceof Date && e.at.getTime() === START.getTime()))
  assert.equal(await oms.ackEvents(events.map((e) => e.id)), events.length)
  assert.deepEqual(await oms.pollEvents(10), [])
  const timeline = await oms.timeline(order.id)
  assert.deepEqual(timeline.map((t) => t.eventType), history)
  assert.deepEqual(await oms.verifyInventory(), [])
})

test('every error code, with the details of the Rust error', async () => {
  const { oms, clock, nord } = await shop()
  const order = await oms.placeOrder(newOrder('e-1', [line('TSHIRT-M', 1, '10.00')]))
  const missing = '01900000-0000-7000-8000-000000000000'

  let e = await rejection(oms.placeOrder(newOrder('e-2', [line('TSHIRT-M', 0, '10.00')])))
  assert.equal(e.code, 'INVALID_INPUT')
  assert.equal(e.field, 'lines[0].quantity')
  assert.ok(e instanceof Error)

  e = await rejection(oms.placeOrder(newOrder('e-3', [line('TSHIRT-M', 1, '10.00')], { currency: 'ABC' })))
  assert.equal(e.code, 'UNKNOWN_CURRENCY')
  assert.equal(e.currency, 'ABC')

  e = await rejection(oms.recordPayment(order.id, { kind: 'captured', amount: '10.00', currency: 'USD' }))
  assert.equal(e.code, 'CURRENCY_MISMATCH')
  assert.deepEqual([e.expected, e.found], ['EUR', 'USD'])

  e = await rejection(oms.placeOrder(newOrder('e-4', [line('TSHIRT-M', 1, '10.005')])))
  assert.equal(e.code, 'INVALID_AMOUNT')
  assert.equal(e.variant, 'TooPrecise')
  assert.deepEqual([e.amount, e.currency], ['10.005', 'EUR'])

  const [shipment] = (await oms.allocateOrder((await oms.validateOrder(
    (await oms.placeOrder(newOrder('e-5', [line('TSHIRT-M', 1, '10.00')], { paymentMethod: 'invoice' }))).id)).id)).shipments
  e = await rejection(oms.ship(shipment.id, { carrier: 'DHL', trackingNumber: '1' }))
  assert.equal(e.code, 'INVALID_TRANSITION')
  assert.deepEqual([e.entity, e.id, e.state, e.command], ['shipment', shipment.id, 'pending', 'ship'])

  e = await rejection(oms.getOrder(missing))
  assert.equal(e.code, 'NOT_FOUND')
  assert.deepEqual([e.variant, e.entity, e.id], ['NotFound', 'order', missing])

  e = await rejection(oms.addChannel({ code: 'web' }))
  assert.equal(e.code, 'CONFLICT')
  assert.deepEqual([e.variant, e.entity, e.key], ['AlreadyExists', 'channel', 'web'])
  e = await rejection(oms.placeOrder(newOrder('e-1', [line('TSHIRT-M', 3, '10.00')])))
  assert.equal(e.code, 'CONFLICT')
  assert.deepEqual([e.variant, e.channel, e.externalRef, e.existing], ['DuplicateOrder', 'web', 'e-1', order.id])

  const sued = await oms.addLocation({ code: 'sued', name: 'Lager Süd' })
  e = await rejection(oms.transferStock({ sku: 'TSHIRT-M', from: nord.id, to: sued.id, quantity: 500 }))
  assert.equal(e.code, 'INSUFFICIENT_STOCK')
  assert.equal(e.variant, 'InsufficientStock')
  assert.equal(e.sku, 'TSHIRT-M')
  assert.equal(e.requested, 500)
  assert.equal(e.available, 24)
  assert.match(e.message, /insufficient stock of TSHIRT-M/)

  const unpaid = await oms.placeOrder(newOrder('e-6', [line('TSHIRT-M', 1, '10.00')]))
  assert.equal((await oms.validateOrder(unpaid.id)).state, 'on_hold')
  e = await rejection(oms.releaseOrder(unpaid.id))
  assert.equal(e.code, 'VALIDATION_FAILED')
  assert.equal(e.orderId, unpaid.id)
  assert.equal(e.reasons[0].code, 'payment_missing')

  const { order: old } = await delivered(oms, nord, 'e-7')
  clock.advance(60 * 24 * 3600)
  e = await rejection(oms.requestReturn(old.id, { lines: [{ line: old.lines[0].id, quantity: 1 }], reason: 'changed_mind' }))
  assert.equal(e.code, 'RETURN_WINDOW_CLOSED')
  assert.equal(e.sku, 'TSHIRT-M')
  assert.ok(e.closedAt instanceof Date && e.closedAt < clock.now())

  const dir = mkdtempSync(join(tmpdir(), 'ordo-node-'))
  try {
    writeFileSync(join(dir, 'notes.db'), 'not a database at all, just some text '.repeat(200))
    e = await rejection(Oms.open(join(dir, 'notes.db')))
    assert.equal(e.code, 'STORAGE')
    assert.equal(e.variant, 'NotOrdoDatabase')
    assert.equal(e.path, join(dir, 'notes.db'))
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})

test('money crosses as a decimal string: a JS number is a TypeError and changes nothing', async () => {
  const { oms, nord } = await shop()
  const cases = [
    [() => oms.placeOrder(newOrder('m-1', [line('TSHIRT-M', 1, 12.5)])), 'order.lines[0].unitPrice'],
    [() => oms.placeOrder(newOrder('m-2', [line('TSHIRT-M', 1, 12)])), 'order.lines[0].unitPrice'],
    [() => oms.placeOrder(newOrder('m-3', [line('TSHIRT-M', 1, '12.00', { taxRate: 0.19 })])), 'order.lines[0].taxRate'],
    [() => oms.placeOrder(newOrder('m-4', [line('TSHIRT-M', 1, '12.00')], { shipping: { amount: 4.9 } })), 'order.shipping.amount'],
    [() => oms.placeOrder(newOrder('m-5', [line('TSHIRT-M', 1, '12.00')], { discounts: [{ code: 'X', amount: 1 }] })), 'order.discounts[0].amount'],
    [() => oms.sellAtCounter({ location: nord.id, channel: 'web', currency: 'EUR', lines: [line('TSHIRT-M', 1, '12.00')], payment: { method: 'cash', tendered: 20 } }), 'sale.payment.tendered'],
  ]
  for (const [call, field] of cases) {
    const e = await rejection(call())
    assert.ok(e instanceof TypeError, `${field}: ${e}`)
    assert.equal(e.code, 'INVALID_INPUT')
    assert.equal(e.field, field)
  }
  const order = await oms.placeOrder(newOrder('m-6', [line('TSHIRT-M', 1, '12.00')]))
  const e = await rejection(oms.recordPayment(order.id, { kind: 'captured', amount: 12, currency: 'EUR' }))
  assert.ok(e instanceof TypeError)
  assert.equal(e.field, 'payment.amount')
  assert.equal((await oms.getOrder(order.id)).payments.length, 0, 'the refused payment changed nothing')
  assert.equal((await oms.listOrders()).length, 1, 'no refused order was stored')
  // Other JS values of the wrong type are TypeErrors too; malformed strings are plain Errors.
  assert.ok((await rejection(oms.getOrder(42))) instanceof TypeError)
  assert.ok((await rejection(oms.receiveStock({ sku: 'X', location: nord.id, quantity: 1.5 }))) instanceof TypeError)
  const bad = await rejection(oms.getOrder('not-a-uuid'))
  assert.ok(!(bad instanceof TypeError) && bad.code === 'INVALID_INPUT')
  const nan = await rejection(oms.receiveStock({ sku: 'X', location: nord.id, quantity: NaN }))
  assert.equal(nan.code, 'INVALID_INPUT')
  // Nothing of this ever throws synchronously: every operation returns a Promise.
  const pending = oms.placeOrder(undefined)
  assert.ok(pending instanceof Promise)
  assert.equal((await rejection(pending)).field, 'order')
})

test('many concurrent Promises on one Oms grant exactly the available stock', async () => {
  const { oms, nord } = await shop()
  await oms.receiveStock({ sku: 'HOT', location: nord.id, quantity: 60 })
  let ticks = 0
  const timer = setInterval(() => ticks++, 1)
  const results = await Promise.all(Array.from({ length: 200 }, async (_, i) => {
    const o = await oms.placeOrder(newOrder(`hot-${i}`, [line('HOT', 1, '5.00')], { paymentMethod: 'invoice' }))
    const v = await oms.validateOrder(o.id)
    if (v.state !== 'confirmed') return 0
    const a = await oms.allocateOrder(o.id)
    return a.order.lines[0].quantities.allocated
  }))
  clearInterval(timer)
  assert.equal(results.reduce((a, b) => a + b, 0), 60, 'exactly the stock is granted')
  const [level] = await oms.stock('HOT')
  assert.deepEqual([level.onHand, level.reserved], [60, 60])
  assert.equal(await oms.available('HOT'), 0)
  assert.deepEqual(await oms.verifyInventory(), [])
  assert.equal((await oms.listOrders({ limit: 1000 })).length, 200)
  assert.ok(ticks > 0, 'timers ran while the operations were in flight')
})

test('the event loop stays responsive while commands wait for the disk', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ordo-node-'))
  try {
    const { oms, nord } = await shop(await Oms.open(join(dir, 'shop.db')))
    let ticks = 0
    const timer = setInterval(() => ticks++, 1)
    const started = performance.now()
    await Promise.all(Array.from({ length: 40 }, (_, i) => oms.receiveStock({ sku: `S-${i}`, location: nord.id, quantity: 1 })))
    const elapsed = performance.now() - started
    clearInterval(timer)
    // The commands run on the thread pool: the 1 ms timer keeps firing meanwhile.
    assert.ok(ticks >= Math.min(3, Math.floor(elapsed / 4)), `${ticks} ticks in ${elapsed.toFixed(1)} ms`)
    assert.equal((await oms.movements()).length, 41)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})

test('Oms.open keeps everything in one SQLite file, shared by handles and reopened', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ordo-node-'))
  const path = join(dir, 'shop.db')
  try {
    const first = await Oms.open(path)
    const { nord } = await shop(first)
    const order = await first.placeOrder(newOrder('db-1', [line('TSHIRT-M', 2, '19.99')], { paymentMethod: 'invoice' }))
    const second = await Oms.open(path, { durability: 'normal', busyTimeoutMs: 2000 })
    const found = await second.findOrder('web/db-1')
    assert.equal(found.id, order.id)
    assert.deepEqual(found.totals.total, { amount: '39.98', currency: 'EUR' })
    await second.validateOrder(order.id)
    await second.allocateOrder(order.id)
    assert.equal(await first.available('TSHIRT-M'), 23)
    assert.equal((await first.locations())[0].id, nord.id)
    const e = await rejection(Oms.open(path, { durability: 'sometimes' }))
    assert.equal(e.code, 'INVALID_INPUT')
    assert.equal(e.field, 'options.durability')
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})

test('idempotency keys: a retry returns the first result, another command is a CONFLICT', async () => {
  const { oms } = await shop()
  const a = await oms.withIdempotencyKey('add-pos').addChannel({ code: 'pos', name: 'POS' })
  const b = await oms.withIdempotencyKey('add-pos').addChannel({ code: 'pos', name: 'POS' })
  assert.deepEqual(a, b)
  const e = await rejection(oms.withIdempotencyKey('add-pos').addChannel({ code: 'app', name: 'App' }))
  assert.equal(e.code, 'CONFLICT')
  assert.deepEqual([e.variant, e.key], ['IdempotencyKeyReused', 'add-pos'])
})

test('timestamps cross as Dates; a manual clock moves only when told', async () => {
  const { oms, clock } = await shop()
  assert.equal(oms.now().getTime(), START.getTime())
  clock.advance(90)
  assert.equal(oms.now().toISOString(), '2026-03-02T09:01:30.000Z')
  const placedAt = new Date('2026-03-01T12:00:00.250Z')
  const order = await oms.placeOrder(newOrder('t-1', [line('TSHIRT-M', 1, '10.00')], { placedAt }))
  assert.equal(order.placedAt.getTime(), placedAt.getTime())
  assert.equal(order.updatedAt.toISOString(), '2026-03-02T09:01:30.000Z')
  const policy = await oms.setBackorderPolicy('NEW-1', { type: 'preorder', expected: new Date('2026-04-01T00:00:00Z') })
  assert.ok(policy.backorder.expected instanceof Date)
  const hold = await oms.holdStock({ cartRef: 'cart-1', channel: 'web', lines: [{ sku: 'TSHIRT-M', quantity: 1 }], ttlSeconds: 600 })
  assert.equal(hold.expiresAt.toISOString(), '2026-03-02T09:11:30.000Z')
  clock.set(new Date('2026-03-03T00:00:00Z'))
  assert.equal(await oms.releaseExpiredHolds(), 1)
})

test('a counter sale returns the receipt with its text', async () => {
  const { oms } = await shop()
  const store = await oms.addLocation({ code: 'mitte', name: 'Laden Mitte', kind: 'store', pickup: true })
  await oms.receiveStock({ sku: 'MUG', location: store.id, quantity: 3 })
  const sale = await oms.sellAtCounter({
    location: store.id, channel: 'web', currency: 'EUR', lines: [line('MUG', 1, '8.50')], payment: { method: 'cash', tendered: '10.00' },
  })
  assert.deepEqual(sale.receipt.change, { amount: '1.50', currency: 'EUR' })
  assert.equal(sale.receipt.text, [
    '              Laden Mitte               ', '      #1001  2026-03-02 09:00 UTC       ', '----------------------------------------',
    '1 × MUG                             8.50', '----------------------------------------', 'TOTAL EUR                           8.50',
    '  incl. 19% tax on 7.14             1.36', 'Paid (cash)                        10.00', 'Change                              1.50', '',
  ].join('\n'))
  const again = await oms.counterReceipt(sale.order.id)
  assert.equal(again.text, sale.receipt.text)
})
