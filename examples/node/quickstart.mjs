// One order through all seven steps of ordo from Node: capture, validate, reserve, pick,
// pack and ship, deliver, return and refund. Every operation returns a Promise.
//
//   make test-node                  # builds bindings-node (and runs this file)
//   cd examples/node && npm install --no-save ../../bindings-node && node quickstart.mjs
import { Oms } from 'ordo'

const oms = Oms.inMemory({ carriers: { DHL: 'https://www.dhl.de/de/privatkunden/dhl-sendungsverfolgung.html?piececode={tracking}' } })

// The network: one web shop, one warehouse with stock.
await oms.addChannel({ code: 'web', name: 'Web shop' })
const nord = await oms.addLocation({ code: 'nord', name: 'Lager Nord', priority: 1 })
await oms.receiveStock({ sku: 'TSHIRT-M', location: nord.id, quantity: 25 })
await oms.receiveStock({ sku: 'MUG', location: nord.id, quantity: 10 })
console.log(`stock: TSHIRT-M ${await oms.available('TSHIRT-M')} available, MUG ${await oms.available('MUG')} available`)

// 1. Capture (idempotent per channel and external reference). Money is a decimal string.
let order = await oms.placeOrder({
  channel: 'web',
  currency: 'EUR',
  externalRef: 'shop-1042',
  lines: [
    { sku: 'TSHIRT-M', name: 'T-Shirt M', quantity: 2, unitPrice: '19.99', taxRate: '0.19' },
    { sku: 'MUG', name: 'Mug', quantity: 1, unitPrice: '9.90', taxRate: '0.19' },
  ],
  customer: { name: 'Anna Muster', email: 'anna@example.de' },
  shippingAddress: { name: 'Anna Muster', line1: 'Hauptstr. 1', postalCode: '10115', city: 'Berlin', country: 'DE' },
  shipping: { amount: '4.90', taxRate: '0.19' },
  discounts: [{ code: 'WELCOME5', amount: '5.00' }],
})
const total = order.totals.total
console.log(`1. placed      order ${order.number} total ${total.amount} ${total.currency} (${order.state})`)
await oms.recordPayment(order.id, { kind: 'authorized', amount: total.amount, currency: 'EUR', reference: 'psp-auth-1' })

// 2. Validate.
order = await oms.validateOrder(order.id)
console.log(`2. validated   ${order.state}, payment ${order.paymentStatus}`)

// 3. Reserve.
const allocation = await oms.allocateOrder(order.id)
console.log(`3. reserved    ${allocation.plan.explanations.join('; ')}`)
const shipment = allocation.shipments[0]

// 4. Pick.
const picked = await oms.confirmPick(shipment.id)
console.log(`4. picked      ${picked.lines.reduce((n, l) => n + l.picked, 0)} units (${picked.state})`)

// 5. Pack and ship.
await oms.packShipment(shipment.id, [{ weightGrams: 850 }])
const shipped = await oms.ship(shipment.id, { carrier: 'DHL', trackingNumber: '00340434161234567890' })
console.log(`5. shipped     ${shipped.carrier} ${shipped.trackingUrl}`)
await oms.recordPayment(order.id, { kind: 'captured', amount: total.amount, currency: 'EUR', reference: 'psp-capture-1' })

// 6. Deliver.
await oms.recordTrackingEvent({ trackingNumber: '00340434161234567890', code: 'in_transit' })
await oms.recordTrackingEvent({ trackingNumber: '00340434161234567890', code: 'delivered' })
order = await oms.getOrder(order.id)
console.log(`6. delivered   ${order.state} / ${order.fulfillmentStatus}`)
console.log(`   customer:   ${await oms.statusMessage(order.id, 'de')}`)

// 7. Return one T-shirt: request, approve, receive, inspect, refund.
const tshirt = order.lines[0].id
let ret = await oms.requestReturn(order.id, { lines: [{ line: tshirt, quantity: 1 }], reason: 'does_not_fit' })
await oms.approveReturn(ret.id, 'label-4711')
await oms.receiveReturn(ret.id, { location: nord.id })
await oms.inspectReturn(ret.id, [{ line: tshirt, quantity: 1, disposition: 'restock' }])
ret = await oms.resolveReturn(ret.id)
console.log(`7. refunded    ${ret.refund.amount} ${ret.refund.currency} for RMA ${ret.rmaNumber} (${ret.state})`)

// Errors carry a stable code and the details.
try {
  await oms.placeOrder({ channel: 'web', currency: 'EUR', lines: [{ sku: 'MUG', quantity: 1, unitPrice: '9.999' }] })
} catch (e) {
  console.log(`   refused:    ${e.code} (${e.message})`)
}
console.log(`events in the outbox: ${(await oms.pollEvents(1000)).length}`)
