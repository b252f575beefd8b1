//! The outbox: events stored with the change, delivered at least once, in order.

use ordo::*;

use crate::common::*;

pub fn events_come_in_order_until_acknowledged(b: Backend) {
    let w = world(b);
    let setup = w.oms.poll_events(10_000).unwrap();
    assert!(setup.windows(2).all(|p| p[0].seq < p[1].seq));
    w.oms.ack_events(&setup.iter().map(|e| e.id).collect::<Vec<_>>()).unwrap();
    assert!(w.oms.poll_events(10).unwrap().is_empty());

    let o = confirmed(&w, "e1", vec![NewLine::new("A", 1, d("10.00"))]);
    let first = w.oms.poll_events(2).unwrap();
    let again = w.oms.poll_events(2).unwrap();
    assert_eq!(first, again, "unacknowledged events are delivered again");
    assert_eq!(first[0].type_name(), "order_placed");
    assert_eq!(first[0].order_id, Some(o.id));
    assert_eq!(w.oms.ack_events(&[first[0].id]).unwrap(), 1);
    assert_eq!(w.oms.ack_events(&[first[0].id]).unwrap(), 0, "acknowledging twice is harmless");
    let next = w.oms.poll_events(10).unwrap();
    assert_eq!(next[0].id, first[1].id);
    assert_eq!(next.iter().map(|e| e.type_name()).collect::<Vec<_>>(), vec!["payment_recorded", "order_confirmed"]);
    assert_eq!(w.oms.poll_events(0).unwrap_err().code(), "INVALID_INPUT");
}

pub fn event_json_has_the_documented_versioned_shape(b: Backend) {
    let w = world(b);
    let o = confirmed(&w, "e2", vec![NewLine::new("A", 1, d("10.00"))]);
    let placed = w.oms.timeline(o.id).unwrap().remove(0).event;
    let v: serde_json::Value = serde_json::from_str(&placed.to_json()).unwrap();
    assert_eq!(v["schema"], 1);
    assert_eq!(v["type"], "order_placed");
    assert_eq!(v["order_id"], o.id.to_string());
    assert_eq!(v["data"]["number"], "1001");
    assert_eq!(v["data"]["total"]["amount"], "10.00");
    assert_eq!(v["data"]["total"]["currency"], "EUR");
    assert!(v["seq"].as_u64().unwrap() > 0);
    let back: Event = serde_json::from_value(v).unwrap();
    assert_eq!(back, placed);
}

pub fn a_failed_command_emits_nothing(b: Backend) {
    let w = world(b);
    let o = confirmed(&w, "e3", vec![NewLine::new("A", 1, d("10.00"))]);
    let before = w.oms.poll_events(10_000).unwrap().len();
    assert_eq!(w.oms.validate_order(o.id).unwrap_err().code(), "INVALID_TRANSITION", "already confirmed");
    assert_eq!(w.oms.ship(ShipmentId::new(), ShipInput::new("DHL", "1")).unwrap_err().code(), "NOT_FOUND");
    assert_eq!(w.oms.poll_events(10_000).unwrap().len(), before);
}
