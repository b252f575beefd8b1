// Kotlin tests of the ordo binding: POS flows, error mapping, BigDecimal exactness and the
// replay of every tests/scenarios/*.json file. A plain main, no test framework:
//   java … OrdoTestKt <scenario dir>   prints "N passed, N failed" last (exit 1 on failures).

import ordo.*
import java.io.File
import java.math.BigDecimal
import java.nio.file.Files
import java.time.Instant
import java.util.UUID
import kotlin.system.exitProcess

var passed = 0
var failed = 0

fun test(name: String, body: () -> Unit) {
    try {
        body()
        passed++
        println("ok   $name")
    } catch (e: Throwable) {
        failed++
        println("FAIL $name: $e")
    }
}

fun check(cond: Boolean, msg: () -> String) {
    if (!cond) throw AssertionError(msg())
}

fun <T> expectError(code: String, body: () -> T): OrdoException {
    try {
        val r = body()
        throw AssertionError("expected $code, got $r")
    } catch (e: OrdoException) {
        check(e.code == code) { "expected $code, got ${e.code} (${e.message})" }
        return e
    }
}

fun dec(s: String) = BigDecimal(s)

/** An exact comparison: value and scale ("10.00" is not "10.0"). */
fun checkMoney(m: Money, amount: String, currency: String = "EUR") {
    check(m.amount == BigDecimal(amount) && m.currency == currency) { "expected $amount $currency, got ${m.amount.toPlainString()} ${m.currency}" }
}

// ---------- a minimal JSON reader/writer (the JDK has none) ----------

object Json {
    fun parse(s: String): Any? {
        val p = P(s)
        val v = p.value()
        p.ws()
        check(p.i == s.length) { "trailing JSON at ${p.i}" }
        return v
    }

    private class P(val s: String) {
        var i = 0
        fun ws() { while (i < s.length && s[i].isWhitespace()) i++ }
        fun value(): Any? {
            ws()
            return when (s[i]) {
                '{' -> { i++; val m = LinkedHashMap<String, Any?>(); ws()
                    if (s[i] == '}') { i++; return m }
                    while (true) { ws(); val k = str(); ws(); i++ /* : */; m[k] = value(); ws()
                        if (s[i++] == '}') return m } 
                    @Suppress("UNREACHABLE_CODE") m }
                '[' -> { i++; val l = ArrayList<Any?>(); ws()
                    if (s[i] == ']') { i++; return l }
                    while (true) { l.add(value()); ws(); if (s[i++] == ']') return l }
                    @Suppress("UNREACHABLE_CODE") l }
                '"' -> str()
                't' -> { i += 4; true }
                'f' -> { i += 5; false }
                'n' -> { i += 4; null }
                else -> { val st = i
                    while (i < s.length && (s[i].isDigit() || s[i] in "+-.eE")) i++
                    val t = s.substring(st, i)
                    if (t.any { it in ".eE" }) t.toDouble() else (t.toLongOrNull() ?: java.math.BigInteger(t)) }
            }
        }
        fun str(): String {
            i++ // opening quote
            val b = StringBuilder()
            while (s[i] != '"') {
                val c = s[i++]
                if (c == '\\') {
                    when (val e = s[i++]) {
                        'n' -> b.append('\n'); 't' -> b.append('\t'); 'r' -> b.append('\r')
                        'b' -> b.append('\b'); 'f' -> b.append('\u000c')
                        'u' -> { b.append(s.substring(i, i + 4).toInt(16).toChar()); i += 4 }
                        else -> b.append(e)
                    }
                } else b.append(c)
            }
            i++
            return b.toString()
        }
    }

    fun write(v: Any?): String = StringBuilder().also { w(v, it) }.toString()

    private fun w(v: Any?, b: StringBuilder) {
        when (v) {
            null -> b.append("null")
            is String -> { b.append('"')
                for (c in v) when {
                    c == '"' -> b.append("\\\""); c == '\\' -> b.append("\\\\")
                    c == '\n' -> b.append("\\n"); c < ' ' -> b.append(String.format("\\u%04x", c.code))
                    else -> b.append(c)
                }
                b.append('"') }
            is Map<*, *> -> { b.append('{'); var first = true
                for ((k, x) in v) { if (!first) b.append(','); first = false; w(k as String, b); b.append(':'); w(x, b) }
                b.append('}') }
            is List<*> -> { b.append('['); v.forEachIndexed { i, x -> if (i > 0) b.append(','); w(x, b) }; b.append(']') }
            else -> b.append(v.toString())
        }
    }
}

// ---------- scenario replay, the rules of core/tests/it/scenarios.rs ----------

fun substitute(v: Any?, vars: Map<String, Any?>): Any? = when (v) {
    is String -> if (v.startsWith("$")) { if (!vars.containsKey(v.substring(1))) throw AssertionError("unknown variable $v"); vars[v.substring(1)] } else v
    is List<*> -> v.map { substitute(it, vars) }
    is Map<*, *> -> v.entries.associate { (k, x) -> k as String to substitute(x, vars) }
    else -> v
}

fun lookup(v: Any?, path: String): Any? {
    var cur = v
    for (part in path.split('.').filter { it.isNotEmpty() }) {
        cur = when (cur) {
            is List<*> -> part.toIntOrNull()?.let { cur.getOrNull(it) } ?: return MISSING
            is Map<*, *> -> if (cur.containsKey(part)) cur[part] else return MISSING
            else -> return MISSING
        }
    }
    return cur
}

object MISSING

fun matches(expected: Any?, actual: Any?, path: String) {
    if (expected is Map<*, *> && actual is List<*> && expected.containsKey("\$len")) {
        val n = (expected["\$len"] as Long).toInt()
        check(actual.size == n) { "$path: expected $n elements, found ${actual.size}" }
    } else if (expected is Map<*, *> && actual is Map<*, *>) {
        for ((k, ev) in expected) {
            check(actual.containsKey(k)) { "$path.$k: missing in ${Json.write(actual)}" }
            matches(ev, actual[k], "$path.$k")
        }
    } else if (expected is List<*> && actual is List<*>) {
        check(expected.size == actual.size) { "$path: expected ${expected.size} elements, found ${actual.size}: ${Json.write(actual)}" }
        expected.indices.forEach { matches(expected[it], actual[it], "$path[$it]") }
    } else {
        check(expected == actual) { "$path: expected ${Json.write(expected)}, found ${Json.write(actual)}" }
    }
}

@Suppress("UNCHECKED_CAST")
fun replay(file: File) {
    val doc = Json.parse(file.readText()) as Map<String, Any?>
    val clock = ManualClock(Instant.parse("2026-03-02T09:00:00Z"))
    val oms = Oms.inMemory(
        clock,
        mapOf("DHL" to "https://tracking.example/dhl/{tracking}"),
        mapOf("DLVRD" to "delivered", "TRANSIT" to "in_transit"),
    )
    val vars = HashMap<String, Any?>()
    for ((i, s) in (doc["steps"] as List<Any?>).withIndex()) {
        val step = s as Map<String, Any?>
        val op = step["op"] as String
        val ctx = "step $i ($op)"
        val args = substitute(step["args"] ?: emptyMap<String, Any?>(), vars) as Map<String, Any?>
        val key = step["idempotency_key"] as String?
        val target = if (key != null) oms.withIdempotencyKey(key) else oms
        var result: Any? = null
        var error: OrdoException? = null
        if (op == "advance_clock") {
            clock.advance(args["seconds"] as Long)
        } else {
            try {
                result = Json.parse(target.execute(op, Json.write(args)))
            } catch (e: OrdoException) {
                error = e
            }
        }
        val expectError = step["expect_error"] as String?
        when {
            error == null && expectError == null -> {
                step["expect"]?.let {
                    try { matches(substitute(it, vars), result, "result") } catch (e: AssertionError) { throw AssertionError("$ctx: ${e.message}") }
                }
                (step["save"] as Map<String, Any?>?)?.forEach { (name, path) ->
                    val v = lookup(result, path as String)
                    check(v !== MISSING) { "$ctx: cannot save $name: no $path in ${Json.write(result)}" }
                    vars[name] = v
                }
            }
            error == null -> throw AssertionError("$ctx: expected error $expectError, got ${Json.write(result)}")
            expectError == null -> throw AssertionError("$ctx: unexpected error ${error.code} (${error.message})")
            else -> check(error.code == expectError) { "$ctx: expected error $expectError, got ${error.code} (${error.message})" }
        }
    }
}

// ---------- POS flows on the typed surface ----------

fun storeAddress() = Address(name = "Filiale Mitte", line1 = "Torstr. 5", postalCode = "10119", city = "Berlin", country = "DE")

fun shop(): Pair<Oms, Location> {
    val oms = Oms.inMemory(ManualClock(Instant.parse("2026-03-02T09:00:00Z")))
    oms.addChannel(NewChannel(code = "pos", name = "Stores"))
    val mitte = oms.addLocation(NewLocation(code = "mitte", name = "Filiale Mitte", kind = LocationKind.STORE, address = storeAddress()))
    oms.receiveStock(ReceiveStock(sku = "MUG", location = mitte.id, quantity = 5u))
    oms.receiveStock(ReceiveStock(sku = "BOOK", location = mitte.id, quantity = 2u))
    return oms to mitte
}

fun counterSale(oms: Oms, store: Location, ref: String? = "till-1/0001") = oms.sellAtCounter(
    CounterSale(
        location = store.id, channel = "pos", currency = "EUR", externalRef = ref,
        lines = listOf(
            NewLine(sku = "MUG", name = "Mug", quantity = 2u, unitPrice = dec("11.90"), taxRate = dec("0.19")),
            NewLine(sku = "BOOK", name = "Book", quantity = 1u, unitPrice = dec("10.70"), taxRate = dec("0.07")),
        ),
        payment = CounterPayment(method = "cash", tendered = dec("50.00")),
    ),
)

fun main(args: Array<String>) {
    val scenarioDir = File(args.getOrElse(0) { "tests/scenarios" })

    test("counter sale with receipt") {
        val (oms, mitte) = shop()
        val sale = counterSale(oms, mitte)
        check(sale.order.state == OrderState.COMPLETED) { "state ${sale.order.state}" }
        check(sale.shipment.state == ShipmentState.PICKED_UP) { "shipment ${sale.shipment.state}" }
        checkMoney(sale.receipt.total, "34.50")
        checkMoney(sale.receipt.change!!, "15.50")
        checkMoney(sale.receipt.tendered!!, "50.00")
        check(sale.receipt.store == listOf("Filiale Mitte", "Torstr. 5", "10119 Berlin", "DE")) { "store ${sale.receipt.store}" }
        val receipt = listOf(
            "             Filiale Mitte              ",
            "               Torstr. 5                ",
            "              10119 Berlin              ",
            "                   DE                   ",
            "      #1001  2026-03-02 09:00 UTC       ",
            "----------------------------------------",
            "2 × Mug                            23.80",
            "1 × Book                           10.70",
            "----------------------------------------",
            "TOTAL EUR                          34.50",
            "  incl. 7% tax on 10.00             0.70",
            "  incl. 19% tax on 20.00            3.80",
            "Paid (cash)                        50.00",
            "Change                             15.50",
            "",
        ).joinToString("\n")
        check(sale.receipt.text == receipt) { "receipt:\n${sale.receipt.text}" }
        check(sale.receipt.at == Instant.parse("2026-03-02T09:00:00Z")) { "at ${sale.receipt.at}" }
        val again = oms.counterReceipt(sale.order.id)
        check(again.number == sale.receipt.number && again.text == receipt) { "reprint ${again.number}:\n${again.text}" }
        check(oms.stock("MUG").single().onHand == 3u) { "stock" }
    }

    test("pickup handover") {
        val oms = Oms.inMemory()
        oms.addChannel(NewChannel(code = "web", name = "Web shop"))
        val mitte = oms.addLocation(NewLocation(code = "mitte", name = "Filiale Mitte", kind = LocationKind.STORE))
        oms.receiveStock(ReceiveStock(sku = "BOOTS-40", location = mitte.id, quantity = 2u))
        val order = oms.placeOrder(
            NewOrder(
                channel = "web", currency = "EUR", paymentMethod = PaymentMethod.PAY_AT_PICKUP,
                customer = Customer(name = "Lea", email = "lea@example.de"),
                delivery = Delivery.Pickup(mitte.id),
                lines = listOf(NewLine(sku = "BOOTS-40", name = "Boots 40", quantity = 1u, unitPrice = dec("119.00"), taxRate = dec("0.19"))),
            ),
        )
        check(order.delivery == Delivery.Pickup(mitte.id)) { "delivery ${order.delivery}" }
        check(oms.validateOrder(order.id).state == OrderState.CONFIRMED) { "validate" }
        val shipment = oms.allocateOrder(order.id).shipments.single()
        oms.confirmPick(shipment.id)
        oms.packShipment(shipment.id, listOf(NewPackage(weightGrams = 1800u)))
        expectError("INVALID_TRANSITION") { oms.handOver(shipment.id) }
        check(oms.readyForPickup(shipment.id).state == ShipmentState.READY_FOR_PICKUP) { "ready" }
        check(oms.handOver(shipment.id).state == ShipmentState.PICKED_UP) { "handed over" }
        val done = oms.getOrder(order.id)
        check(done.state == OrderState.COMPLETED && done.lines[0].quantities.delivered == 1u) { "order $done" }
        check(oms.stock("BOOTS-40").single().onHand == 1u) { "stock" }
        check(oms.timeline(order.id).map { it.eventType }.contains("shipment_ready_for_pickup")) { "timeline" }
        check(oms.statusMessage(order.id, "en") == "Your order 1001 has been delivered.") { "status message ${oms.statusMessage(order.id, "en")}" }
        check(oms.statusMessage(order.id, "de") == "Ihre Bestellung 1001 wurde zugestellt.") { "status message ${oms.statusMessage(order.id, "de")}" }
    }

    test("return at the counter with restock") {
        val (oms, mitte) = shop()
        val sale = counterSale(oms, mitte)
        val mug = sale.order.lines.first { it.sku == "MUG" }
        val ret = oms.requestReturn(sale.order.id, ReturnRequest(lines = listOf(ReturnUnits(line = mug.id, quantity = 1u)), reason = ReturnReason.CHANGED_MIND))
        check(ret.state == ReturnState.REQUESTED) { "requested" }
        oms.approveReturn(ret.id)
        oms.receiveReturn(ret.id, ReceiveReturn(location = mitte.id))
        oms.inspectReturn(ret.id, listOf(Inspection(line = mug.id, quantity = 1u, disposition = Disposition.RESTOCK)))
        val done = oms.resolveReturn(ret.id)
        check(done.state == ReturnState.RESOLVED) { "resolved" }
        checkMoney(done.refund!!, "11.90")
        check(done.lines.single().restocked == 1u) { "restocked" }
        check(oms.stock("MUG").single().onHand == 4u) { "back on the shelf" }
        check(oms.returns(sale.order.id).size == 1) { "returns" }
    }

    test("stock across stores") {
        val oms = Oms.inMemory()
        oms.addChannel(NewChannel(code = "pos"))
        val a = oms.addLocation(NewLocation(code = "mitte", kind = LocationKind.STORE))
        val b = oms.addLocation(NewLocation(code = "kreuzberg", kind = LocationKind.STORE))
        oms.receiveStock(ReceiveStock(sku = "MUG", location = a.id, quantity = 5u))
        oms.receiveStock(ReceiveStock(sku = "MUG", location = b.id, quantity = 7u, reference = "GRN-1"))
        oms.receiveStock(ReceiveStock(sku = "BOOK", location = b.id, quantity = 1u))
        val mug = oms.stock("MUG").associate { it.location to it.onHand }
        check(mug == mapOf(a.id to 5u, b.id to 7u)) { "stock $mug" }
        check(oms.available("MUG", "pos") == 12uL) { "available" }
        check(oms.stockLevels(b.id).map { it.sku }.sorted() == listOf("BOOK", "MUG")) { "levels at b" }
        check(oms.stockLevels().size == 3) { "all levels" }
        check(oms.locations().map { it.code }.toSet() == setOf("mitte", "kreuzberg")) { "locations" }
    }

    test("error mapping") {
        val (oms, mitte) = shop()
        val e = expectError("INSUFFICIENT_STOCK") {
            oms.sellAtCounter(CounterSale(location = mitte.id, channel = "pos", currency = "EUR",
                lines = listOf(NewLine(sku = "BOOK", quantity = 3u, unitPrice = dec("10.70"))), payment = CounterPayment(method = "card", reference = "t-1")))
        }
        check(e is OrdoException.InsufficientStock) { "class ${e::class}" }
        val d = Json.parse(e.details) as Map<*, *>
        check(d["variant"] == "InsufficientStock" && d["sku"] == "BOOK" && d["requested"] == 3L && d["available"] == 2L) { "details ${e.details}" }
        expectError("NOT_FOUND") { oms.getOrder(UUID.randomUUID()) }
        expectError("UNKNOWN_CURRENCY") { counterSaleIn(oms, mitte, "XXY") }
        expectError("INVALID_AMOUNT") {
            oms.sellAtCounter(CounterSale(location = mitte.id, channel = "pos", currency = "EUR",
                lines = listOf(NewLine(sku = "MUG", quantity = 1u, unitPrice = dec("1.005"))), payment = CounterPayment(method = "card")))
        }
        expectError("INVALID_INPUT") { oms.execute("get_order", "{\"order\": \"not-a-uuid\"}") }
        expectError("INVALID_INPUT") { oms.execute("no_such_operation", "{}") }
        expectError("CONFLICT") { oms.addChannel(NewChannel(code = "pos")) }
        check(oms.stock("BOOK").single().onHand == 2u) { "a failed sale changes nothing" }
    }

    test("BigDecimal exactness") {
        val oms = Oms.inMemory()
        val to = Address(name = "Anna", line1 = "Hauptstr. 1", postalCode = "10115", city = "Berlin", country = "DE")
        oms.addChannel(NewChannel(code = "web"))
        val w = oms.addLocation(NewLocation(code = "w"))
        oms.receiveStock(ReceiveStock(sku = "A", location = w.id, quantity = 10u))
        val o = oms.placeOrder(NewOrder(channel = "web", currency = "EUR",
            lines = listOf(NewLine(sku = "A", quantity = 3u, unitPrice = dec("0.10"), taxRate = dec("0.19"))), shippingAddress = to))
        check(o.totals.total.amount.toPlainString() == "0.30") { "total ${o.totals.total.amount.toPlainString()}" }
        check(o.lines[0].taxRate == dec("0.19")) { "tax rate ${o.lines[0].taxRate}" }
        val jpy = oms.placeOrder(NewOrder(channel = "web", currency = "JPY", lines = listOf(NewLine(sku = "A", quantity = 1u, unitPrice = dec("1500"))), shippingAddress = to))
        check(jpy.totals.total.amount.toPlainString() == "1500") { "jpy ${jpy.totals.total.amount}" }
        val paid = oms.recordPayment(o.id, NewPayment(kind = PaymentKind.AUTHORIZED, amount = o.totals.total.amount, currency = "EUR"))
        check(paid.paymentStatus == "authorized") { "payment ${paid.paymentStatus}" }
        val big = dec("9999999999999.99")
        val o2 = oms.placeOrder(NewOrder(channel = "web", currency = "EUR", lines = listOf(NewLine(sku = "A", quantity = 1u, unitPrice = big)), shippingAddress = to))
        check(o2.totals.total.amount == big) { "big ${o2.totals.total.amount}" }
    }

    test("seven steps, idempotency and the SQLite store") {
        val dir = Files.createTempDirectory("ordo-kt")
        val path = dir.resolve("shop.db").toString()
        val oms = Oms.open(path, Durability.NORMAL)
        oms.addChannel(NewChannel(code = "web", name = "Web shop"))
        val nord = oms.addLocation(NewLocation(code = "nord", name = "Lager Nord", priority = 1))
        oms.receiveStock(ReceiveStock(sku = "TSHIRT-M", location = nord.id, quantity = 25u))
        val input = NewOrder(channel = "web", currency = "EUR", externalRef = "shop-1042",
            lines = listOf(NewLine(sku = "TSHIRT-M", quantity = 2u, unitPrice = dec("19.99"), taxRate = dec("0.19"))),
            customer = Customer(name = "Anna Muster", email = "anna@example.de"),
            shippingAddress = Address(name = "Anna Muster", line1 = "Hauptstr. 1", postalCode = "10115", city = "Berlin", country = "DE"))
        val order = oms.withIdempotencyKey("k1").placeOrder(input)
        check(oms.withIdempotencyKey("k1").placeOrder(input).id == order.id) { "idempotent" }
        oms.recordPayment(order.id, NewPayment(kind = PaymentKind.AUTHORIZED, amount = order.totals.total.amount, currency = "EUR"))
        oms.validateOrder(order.id)
        val shipment = oms.allocateOrder(order.id).shipments[0]
        oms.confirmPick(shipment.id, listOf())
        oms.packShipment(shipment.id, listOf(NewPackage(weightGrams = 450u)))
        oms.ship(shipment.id, ShipInput(carrier = "DHL", trackingNumber = "00340434161234567890"))
        val delivered = oms.recordTrackingEvent(TrackingEventInput(code = "delivered", trackingNumber = "00340434161234567890"))
        check(delivered.state == ShipmentState.DELIVERED) { "delivered" }
        val line = order.lines[0].id
        val ret = oms.requestReturn(order.id, ReturnRequest(lines = listOf(ReturnUnits(line = line, quantity = 1u)), reason = ReturnReason.DOES_NOT_FIT))
        oms.approveReturn(ret.id, null)
        oms.receiveReturn(ret.id, ReceiveReturn(location = nord.id))
        oms.inspectReturn(ret.id, listOf(Inspection(line = line, quantity = 1u, disposition = Disposition.RESTOCK)))
        checkMoney(oms.resolveReturn(ret.id).refund!!, "19.99")
        val shipped = oms.getShipment(shipment.id)
        check(shipped.packages.single().weightGrams == 450u && shipped.tracking.single().status == "delivered") { "shipment $shipped" }
        val paidOrder = oms.getOrder(order.id)
        check(paidOrder.payments.single().kind == PaymentKind.AUTHORIZED && paidOrder.payment.authorized.amount == order.totals.total.amount) { "payments" }
        val reopened = Oms.open(path)
        check(reopened.getOrder(order.id).number == order.number) { "persisted" }
        check(reopened.stock("TSHIRT-M").single().onHand == 24u) { "stock persisted" }
        check(reopened.exceptions().isEmpty()) { "exceptions ${reopened.exceptions()}" }
        // Read-only: queries work, commands are refused with STORAGE / ReadOnly.
        val reader = Oms.open(path, readOnly = true)
        check(reader.getOrder(order.id).number == order.number) { "read-only query" }
        val e = expectError("STORAGE") { reader.addChannel(NewChannel(code = "pos", name = "Till")) }
        check((Json.parse(e.details) as Map<*, *>)["variant"] == "ReadOnly") { "details ${e.details}" }
        // A device's WAL stays near its checkpoint size (256 pages by default on devices).
        val till = dir.resolve("till.db").toString()
        val device = Oms.open(till, checkpointPages = 64u)
        device.addChannel(NewChannel(code = "web", name = "Web shop"))
        val store = device.addLocation(NewLocation(code = "mitte", name = "Filiale Mitte"))
        device.receiveStock(ReceiveStock(sku = "MUG", location = store.id, quantity = 5u))
        for (i in 0 until 300) {
            device.placeOrder(NewOrder(channel = "web", currency = "EUR", externalRef = "o-$i", notes = listOf("x".repeat(400)),
                lines = listOf(NewLine(sku = "MUG", quantity = 1u, unitPrice = dec("5.00"))), shippingAddress = input.shippingAddress))
        }
        val wal = java.io.File("$till-wal").length()
        check(wal < 2 * 64 * 4096) { "WAL $wal bytes" }
    }

    test("stock ledger: adjust, transfer, safety stock, movements, verify") {
        val (oms, mitte) = shop()
        val lager = oms.addLocation(NewLocation(code = "lager", name = "Lager"))
        check(oms.adjustStock(AdjustStock(sku = "MUG", location = mitte.id, delta = -1, reason = "broken")).onHand == 4u) { "adjust" }
        val (from, to) = oms.transferStock(TransferStock(sku = "MUG", from = mitte.id, to = lager.id, quantity = 2u))
        check(from.onHand == 2u && to.onHand == 2u) { "transfer $from $to" }
        check(oms.setSafetyStock("MUG", lager.id, 1u).available == 1u) { "safety stock" }
        val kinds = oms.movements("MUG").map { it.kind }
        check(kinds.count { it == MovementKind.TRANSFERRED } == 2 && MovementKind.ADJUSTED in kinds) { "movements $kinds" }
        check(oms.verifyInventory().isEmpty()) { "verify" }
        check(oms.setBin("MUG", mitte.id, "A-01") == "A-01") { "bin" }
        check(!oms.setLocationActive(lager.id, false).active) { "inactive" }
    }

    test("orders: list, hold, release, cancel lines, packing slip") {
        val (oms, mitte) = shop()
        oms.updateChannel(NewChannel(code = "pos", name = "Filialen", returnWindowDays = 30u))
        check(oms.channels().single().returnWindowDays == 30u) { "channel" }
        val o = oms.placeOrder(NewOrder(channel = "pos", currency = "EUR", delivery = Delivery.Pickup(mitte.id),
            paymentMethod = PaymentMethod.PAY_AT_PICKUP, customer = Customer(name = "Lea"),
            lines = listOf(NewLine(sku = "MUG", quantity = 3u, unitPrice = dec("11.90")))))
        val held = oms.holdOrder(o.id, NewHold(code = "fraud_check", message = "call the customer"))
        check(held.state == OrderState.ON_HOLD && held.holds.single().code == "fraud_check" && held.heldFrom == OrderState.PLACED) { "hold $held" }
        check(oms.listOrders(OrderQuery(state = OrderState.ON_HOLD)).single().id == o.id) { "list on hold" }
        oms.releaseOrder(o.id, "called")
        check(oms.cancelLines(o.id, listOf(CancelUnits(line = o.lines[0].id, quantity = 1u)), "customer").lines[0].quantities.cancelled == 1u) { "cancel lines" }
        oms.validateOrder(o.id)
        val s = oms.allocateOrder(o.id).shipments.single()
        oms.confirmPick(s.id)
        oms.packShipment(s.id, listOf(NewPackage(weightGrams = 900u)))
        val slip = oms.packingSlip(s.id, "de")
        check(slip.lines.single().quantity == 2u) { "slip $slip" }
        val text = listOf(
            "Lieferschein — Bestellung 1001 (2026-03-02)",
            "",
            "Absender:",
            "  Filiale Mitte",
            "  Torstr. 5",
            "  10119 Berlin",
            "  DE",
            "",
            "Menge  SKU              Artikel",
            "    2  MUG              MUG",
            "",
            "Sie können Artikel innerhalb von 30 Tagen nach Erhalt zurückgeben. Bitte melden Sie die Rücksendung mit der " +
                "Bestellnummer 1001 an und legen Sie diesen Lieferschein bei.",
            "",
        ).joinToString("\n")
        check(slip.text == text) { "slip text:\n${slip.text}" }
        check(slip.html.startsWith("<!DOCTYPE html>\n<html lang=\"de\">") && slip.html.contains("<tr><td>2</td><td>MUG</td><td>MUG</td></tr>")) { "slip html:\n${slip.html}" }
        check(oms.listOrders().size == 1) { "list all" }
    }

    test("claims and the event outbox") {
        val oms = Oms.inMemory()
        oms.addChannel(NewChannel(code = "web"))
        val w = oms.addLocation(NewLocation(code = "w"))
        oms.receiveStock(ReceiveStock(sku = "A", location = w.id, quantity = 5u))
        val o = oms.placeOrder(NewOrder(channel = "web", currency = "EUR", paymentMethod = PaymentMethod.INVOICE,
            shippingAddress = Address(name = "Anna", line1 = "Hauptstr. 1", postalCode = "10115", city = "Berlin", country = "DE"),
            lines = listOf(NewLine(sku = "A", quantity = 1u, unitPrice = dec("5.00")))))
        oms.validateOrder(o.id)
        val s = oms.allocateOrder(o.id).shipments.single()
        oms.confirmPick(s.id); oms.packShipment(s.id, listOf(NewPackage(weightGrams = 100u)))
        oms.ship(s.id, ShipInput(carrier = "DHL", trackingNumber = "T-1"))
        oms.recordTrackingEvent(TrackingEventInput(code = "lost", shipment = s.id))
        val claim = oms.openClaim(s.id, NewClaim(kind = ClaimKind.LOST))
        check(claim.state == ClaimState.OPEN) { "open" }
        val settled = oms.resolveClaim(s.id, ClaimSettlement(resolution = ClaimResolution.REPLACEMENT))
        check(settled.state == ClaimState.RESOLVED && settled.replacementOrder != null) { "settled $settled" }
        check(oms.claims(o.id).size == 1) { "claims" }
        val events = oms.pollEvents(1000u)
        val placed = events.first { it.eventType == "order_placed" }
        check(placed.orderId == o.id && events.first().eventType == "stock_changed") { "events ${events.first()}" }
        check((Json.parse(placed.json) as Map<*, *>)["type"] == "order_placed") { "json" }
        check(oms.ackEvents(events.map { it.id }) == events.size.toULong()) { "ack" }
        check(oms.pollEvents(10u).isEmpty()) { "acked" }
        check(oms.releaseExpiredHolds() == 0uL) { "holds" }
    }

    test("checkout holds, backorder policy, wave picking, import") {
        val oms = Oms.inMemory()
        oms.addChannel(NewChannel(code = "web"))
        val w = oms.addLocation(NewLocation(code = "w"))
        oms.receiveStock(ReceiveStock(sku = "A", location = w.id, quantity = 5u))
        val hold = oms.holdStock(HoldRequest(cartRef = "cart-1", channel = "web", lines = listOf(HoldLine(sku = "A", quantity = 2u)), ttlSeconds = 600u))
        check(hold.lines.single().quantity == 2u && oms.stockHold("cart-1").cartRef == "cart-1") { "hold $hold" }
        check(oms.available("A") == 3uL) { "held units are not available" }
        oms.releaseStockHold("cart-1")
        check(oms.available("A") == 5uL) { "released" }
        check(oms.setBackorderPolicy("B", BackorderPolicy.Allow).backorder == BackorderPolicy.Allow) { "policy" }
        val expected = Instant.parse("2026-04-01T00:00:00Z")
        check(oms.setBackorderPolicy("C", BackorderPolicy.Preorder(expected)).backorder == BackorderPolicy.Preorder(expected)) { "preorder" }
        check(oms.skuSettings("A").backorder == BackorderPolicy.Deny) { "default" }
        val to = Address(name = "Anna", line1 = "Hauptstr. 1", postalCode = "10115", city = "Berlin", country = "DE")
        fun order(ref: String) = NewOrder(channel = "web", currency = "EUR", externalRef = ref, shippingAddress = to, paymentMethod = PaymentMethod.INVOICE,
            lines = listOf(NewLine(sku = "A", quantity = 1u, unitPrice = dec("5.00"))))
        val results = oms.importOrders(listOf(order("r1"), order("r2"), order("r1")))
        check(results[0] is ImportResult.Placed && results[2] is ImportResult.AlreadyExisted) { "import $results" }
        for (r in results.take(2)) { val id = (r as ImportResult.Placed).orderId; oms.validateOrder(id); oms.allocateOrder(id) }
        oms.setBin("A", w.id, "A-01")
        val list = oms.createPickList(NewPickList(location = w.id))
        check(list.shipments.size == 2 && list.lines.single().quantity == 2u && list.lines.single().bin == "A-01") { "pick list $list" }
        check(oms.pickList(list.id).lines.single().targets.size == 2) { "targets" }
    }

    test("plan allocation and edit an order (dry run, then applied)") {
        val oms = Oms.inMemory()
        oms.addChannel(NewChannel(code = "web"))
        val w = oms.addLocation(NewLocation(code = "w", name = "Lager"))
        oms.receiveStock(ReceiveStock(sku = "A", location = w.id, quantity = 5u))
        oms.receiveStock(ReceiveStock(sku = "B", location = w.id, quantity = 5u))
        val to = Address(name = "Anna", line1 = "Hauptstr. 1", postalCode = "10115", city = "Berlin", country = "DE")
        val o = oms.placeOrder(NewOrder(channel = "web", currency = "EUR", shippingAddress = to, paymentMethod = PaymentMethod.INVOICE,
            lines = listOf(NewLine(sku = "A", quantity = 2u, unitPrice = dec("5.00")))))
        oms.validateOrder(o.id)
        val plan = oms.planAllocation(o.id)
        check(plan.allocations.single().location == w.id) { "plan $plan" }
        check(plan.explanations == listOf("Lager: all 1 line in stock, priority 100")) { "explanations ${plan.explanations}" }
        check(oms.allocateOrder(o.id).plan.allocations.single().quantity == 2u) { "allocation plan" }
        val changes = OrderChanges(lines = listOf(
            LineChange.SetQuantity(line = o.lines[0].id, quantity = 1u),
            LineChange.Add(NewLine(sku = "B", quantity = 1u, unitPrice = dec("7.50"))),
        ), dryRun = true)
        val preview = oms.editOrder(o.id, changes)
        check(!preview.applied && preview.totalAfter.amount == dec("12.50") && preview.totalBefore.amount == dec("10.00")) { "preview $preview" }
        check(oms.getOrder(o.id).lines.size == 1) { "dry run changes nothing" }
        val edit = oms.editOrder(o.id, changes.copy(dryRun = false))
        check(edit.applied && edit.order.lines.size == 2) { "applied $edit" }
    }

    test("hostile input: booleans are not numbers, nesting is limited, lone surrogates never reach the core") {
        val (oms, mitte) = shop()
        val loc = mitte.id.toString()
        fun invalid(field: String, reason: String, body: () -> Any?) {
            val e = expectError("INVALID_INPUT", body)
            check(e is OrdoException.InvalidInput) { "class ${e::class}" }
            val d = Json.parse(e.details) as Map<*, *>
            check(d["variant"] == "Input" && d["field"] == field) { "field: expected $field, got ${e.details}" }
            check((d["reason"] as String).startsWith(reason)) { "reason: expected $reason…, got ${e.details}" }
        }
        // The typed API cannot take a Boolean for a UInt (it does not compile); through
        // `execute` a JSON boolean is refused where a number is expected, and back.
        invalid("receipt.quantity", "invalid type: boolean `true`, expected u32") {
            oms.execute("receive_stock", """{"receipt": {"sku": "MUG", "location": "$loc", "quantity": true}}""")
        }
        invalid("units", "invalid type: boolean `true`, expected u32") {
            oms.execute("set_safety_stock", """{"sku": "MUG", "location": "$loc", "units": true}""")
        }
        invalid("active", "invalid type: integer `1`, expected a boolean") {
            oms.execute("set_location_active", """{"location": "$loc", "active": 1}""")
        }
        check(oms.stock("MUG").single().let { it.onHand == 5u && it.safetyStock == 0u }) { "nothing changed: ${oms.stock("MUG")}" }
        check(oms.locations().single().active) { "still active" }
        // Nesting: the typed records are flat (metadata is a String map); through `execute`
        // an argument nested deeper than 32 levels is refused naming the field …
        fun nested(levels: Int) = "{\"a\":".repeat(levels - 1) + "{}" + "}".repeat(levels - 1)
        fun order(metadata: String) = """{"order": {"channel": "pos", "currency": "EUR", "lines": [], "metadata": $metadata}}"""
        invalid("order.metadata" + ".a".repeat(31), "nested more than 32 levels deep") { oms.execute("place_order", order(nested(32))) }
        // … 32 levels pass the limit and the shape is refused (metadata values are strings) …
        invalid("order.metadata.a", "invalid type: map, expected a string") { oms.execute("place_order", order(nested(31))) }
        // … and JSON nested 10,000 deep is refused by the parser, with the same reason.
        invalid("args_json", "nested more than 32 levels deep (recursion limit exceeded") { oms.execute("place_order", order(nested(10_000))) }
        check(oms.listOrders(null).isEmpty()) { "no order stored" }
        // A Kotlin String may hold a lone UTF-16 surrogate; the generated code refuses to
        // encode it (CharacterCodingException) before anything reaches ordo, so "A\uD800"
        // and "A\uDFFF" never become the same SKU.
        for (sku in listOf("A\uD800", "A\uDFFF")) {
            try {
                oms.receiveStock(ReceiveStock(sku = sku, location = mitte.id, quantity = 1u))
                throw AssertionError("a lone surrogate was accepted")
            } catch (e: java.nio.charset.CharacterCodingException) {
                // refused, as it should be
            }
        }
        try {
            oms.execute("receive_stock", """{"receipt": {"sku": "A${'\uDC00'}", "location": "$loc", "quantity": 1}}""")
            throw AssertionError("a lone surrogate was accepted")
        } catch (e: java.nio.charset.CharacterCodingException) {
            // refused
        }
        // Written as a JSON escape, the JSON parser refuses it.
        invalid("args_json", "lone leading surrogate in hex escape") {
            oms.execute("receive_stock", """{"receipt": {"sku": "A\uDC00", "location": "$loc", "quantity": 1}}""")
        }
        check(oms.stockLevels(null).map { it.sku }.sorted() == listOf("BOOK", "MUG")) { "levels ${oms.stockLevels(null)}" }
    }

    val files = scenarioDir.listFiles { f -> f.name.endsWith(".json") }!!.sortedBy { it.name }
    check(files.size >= 12) { "expected scenario files in $scenarioDir" }
    for (f in files) test("scenario ${f.name}") { replay(f) }

    println("$passed passed, $failed failed")
    exitProcess(if (failed == 0) 0 else 1)
}

fun counterSaleIn(oms: Oms, store: Location, currency: String) = oms.sellAtCounter(
    CounterSale(location = store.id, channel = "pos", currency = currency,
        lines = listOf(NewLine(sku = "MUG", quantity = 1u, unitPrice = dec("11.90"))), payment = CounterPayment(method = "card")),
)
