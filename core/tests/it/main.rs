//! Integration tests through the public API, compiled as one binary.
//!
//! The modules listed in `conformance!` form the store conformance suite: every test runs
//! once per storage backend.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

mod common;
mod scenarios;

mod aftersales;
mod bad_input;
mod concurrency;
mod faults;
mod fulfillment;
mod fuzz_regressions;
mod golden;
mod idempotency;
mod inventory;
mod lifecycle;
mod limits;
mod model;
mod outbox;
mod properties;
mod sqlite_files;
mod sqlite_import;
mod sqlite_processes;
mod sqlite_store;
mod sqlite_writers;

/// Generates one `#[test]` per (backend, test function).
macro_rules! conformance {
    ($backend:ident => $variant:expr; $($module:ident :: $test:ident),* $(,)?) => {
        mod $backend {
            $(
                #[test]
                fn $test() {
                    crate::$module::$test($variant)
                }
            )*
        }
    };
}

macro_rules! suite {
    ($($backend:ident => $variant:expr),* $(,)?) => {
        $(
            conformance!($backend => $variant;
                bad_input::refused_orders_store_nothing,
                bad_input::duplicate_external_reference_with_other_content_is_a_conflict,
                bad_input::invalid_transitions_name_state_and_command_and_change_nothing,
                bad_input::payments_that_do_not_add_up_are_refused,
                bad_input::stock_commands_refuse_bad_input,
                concurrency::eight_threads_never_reserve_more_than_the_stock,
                faults::every_storage_fault_leaves_the_state_before_the_command,
                faults::a_lost_commit_acknowledgement_is_retried_safely,
                idempotency::retried_command_returns_first_result_and_does_nothing_twice,
                idempotency::same_key_with_other_input_is_a_conflict_and_changes_nothing,
                idempotency::a_failed_command_does_not_burn_its_key,
                inventory::strategies_choose_locations_as_documented,
                inventory::nearest_location_ships_to_the_customer,
                inventory::split_rules_and_eligibility_are_respected,
                inventory::summed_demand_of_one_sku_is_checked_together,
                inventory::backorders_are_filled_oldest_first_when_stock_arrives,
                inventory::preorders_pass_validation_without_stock,
                inventory::denied_shortage_holds_or_cancels_by_channel_policy,
                inventory::unknown_skus_are_never_accepted_silently,
                inventory::checkout_holds_reserve_convert_and_expire,
                inventory::holds_can_be_replaced_released_and_swept,
                lifecycle::manual_holds_return_to_where_they_came_from,
                lifecycle::an_order_delivered_while_held_completes_on_release,
                fulfillment::pick_lists_group_shipments_by_bin_and_trace_every_unit,
                fulfillment::pick_lists_take_the_oldest_shipments_first,
                fulfillment::packing_slips_say_what_is_inside_and_what_follows,
                fulfillment::package_contents_must_match_the_picked_units,
                fulfillment::pickup_orders_are_made_ready_and_handed_over,
                fulfillment::counter_sales_sell_pay_and_hand_over_in_one_step,
                aftersales::exchanges_place_a_linked_order_and_settle_the_difference,
                aftersales::repairs_send_the_goods_back_for_free,
                aftersales::edits_preview_then_apply_line_changes_with_reallocation,
                aftersales::shipped_or_picked_units_cannot_be_edited_away,
                aftersales::open_units_of_lines_can_be_cancelled,
                aftersales::claims_settle_lost_and_damaged_parcels,
                aftersales::old_backorders_ask_for_attention,
                aftersales::refused_after_sales_commands_change_nothing,
                golden::golden_refunds_are_exact,
                lifecycle::seven_steps_move_quantities_stock_and_money,
                lifecycle::order_is_split_when_no_location_has_everything_and_backordered_beyond_stock,
                lifecycle::safety_stock_is_never_allocated,
                lifecycle::short_pick_corrects_stock_backorders_and_asks_a_person,
                lifecycle::short_picks_are_reallocated_from_other_locations,
                lifecycle::carrier_events_never_go_backwards_and_duplicates_change_nothing,
                lifecycle::lost_parcels_land_in_the_exception_queue,
                lifecycle::validation_holds_with_reasons_and_release_revalidates,
                lifecycle::host_validators_run_after_the_built_in_ones,
                lifecycle::cancelling_releases_reservations_and_announces_the_refund,
                lifecycle::returns_refund_exactly_what_was_paid_and_respect_the_window,
                lifecycle::write_offs_do_not_return_to_stock_and_inspection_needs_receipt,
                lifecycle::pickup_orders_take_stock_only_from_their_store,
                lifecycle::order_numbers_and_lookups,
                properties::random_command_sequences_keep_inventory_invariants,
                model::random_sequences_match_the_reference_model,
                model::cancelling_every_unit_releases_the_converted_checkout_hold,
                model::an_order_whose_short_units_are_cancelled_completes_when_the_rest_was_delivered,
                model::backorders_filled_by_a_receipt_get_the_units_of_lapsed_holds,
                model::a_short_pick_is_reallocated_from_the_units_of_lapsed_holds,
                scenarios::scenarios_replay,
                outbox::events_come_in_order_until_acknowledged,
                outbox::event_json_has_the_documented_versioned_shape,
                outbox::a_failed_command_emits_nothing,
                limits::amounts_beyond_the_range_are_typed_errors_never_overflows,
                limits::quantities_have_one_range_with_typed_errors,
                limits::oversized_input_is_refused_before_any_work,
            );
        )*
    };
}

suite!(memory => crate::common::Backend::Memory, sqlite => crate::common::Backend::Sqlite);
