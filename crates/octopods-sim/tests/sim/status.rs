//! Delivery status: one stage per read, in both shapes, and unknown ids.

use octopods::{DeliveryStatus, SendOutcome, StatusError};
use octopods_sim::{Sim, HUBSPOT_KEY, LEGACY_KEY, MESSAGE_NOT_FOUND_CODE, PRACTICE_KEY};
use serde_json::Value;

use crate::{client, is_uuid_v4, message, sim, PHONE};

/// Sends to `phone` with `key` and returns the message id.
async fn sent(sim: &Sim, key: &str, phone: &str) -> String {
    match client(sim, key).send(&message(phone)).await {
        SendOutcome::Accepted(a) => a.message_id.expect("Intercom keys get a message id"),
        other => panic!("expected acceptance, got {other:?}"),
    }
}

#[tokio::test]
async fn modern_status_advances_one_stage_per_read() {
    let sim = sim().await;
    let id = sent(&sim, PRACTICE_KEY, PHONE).await;
    let client = client(&sim, PRACTICE_KEY);

    let queued = client.status(&id).await.expect("first read");
    assert_eq!(queued.status, DeliveryStatus::Queued);
    assert_eq!(queued.message_id.as_deref(), Some(id.as_str()));
    assert_eq!(queued.phone_number.as_deref(), Some(PHONE));
    assert!(is_uuid_v4(&queued.raw["request_id"]));
    for field in ["sent_at", "delivered_at", "failure_reason"] {
        assert_eq!(
            queued.raw[field],
            Value::Null,
            "{field} is null while queued"
        );
    }
    assert!(queued.raw["message_id"].is_u64());

    let sent_report = client.status(&id).await.expect("second read");
    assert_eq!(sent_report.status, DeliveryStatus::Sent);
    let sent_at = sent_report.sent_at.clone().expect("sent_at once sent");
    assert!(
        sent_at.ends_with('Z') && sent_at.len() == 20,
        "RFC 3339 UTC: {sent_at}"
    );
    assert_eq!(sent_report.delivered_at, None);

    for _ in 0..2 {
        let delivered = client.status(&id).await.expect("later reads");
        assert_eq!(delivered.status, DeliveryStatus::Delivered);
        assert_eq!(delivered.sent_at.as_deref(), Some(sent_at.as_str()));
        assert!(delivered.delivered_at.is_some());
        assert_eq!(delivered.detail, None);
    }
    let paths: Vec<String> = sim.requests().into_iter().map(|r| r.path).collect();
    assert_eq!(paths.len(), 5);
    assert_eq!(paths[1], format!("/api/v1/sms/messages/{id}"));
}

#[tokio::test]
async fn failed_and_undelivered_numbers_end_with_a_reason() {
    let sim = sim().await;
    let cases = [
        (
            "+12015550160",
            DeliveryStatus::Failed,
            "Carrier rejected the message.",
        ),
        (
            "+12015550161",
            DeliveryStatus::Undelivered,
            "The phone was switched off or out of coverage.",
        ),
    ];
    let client = client(&sim, PRACTICE_KEY);
    for (phone, status, reason) in cases {
        let id = sent(&sim, PRACTICE_KEY, phone).await;
        let _queued = client.status(&id).await.expect("queued");
        let _sent = client.status(&id).await.expect("sent");
        let last = client.status(&id).await.expect("final");
        assert_eq!(last.status, status, "{phone}");
        assert_eq!(last.detail.as_deref(), Some(reason));
        assert_eq!(last.delivered_at, None);
        assert!(last.sent_at.is_some());
    }
}

#[tokio::test]
async fn legacy_keys_get_the_older_shape() {
    let sim = sim().await;
    let id = sent(&sim, LEGACY_KEY, PHONE).await;
    let client = client(&sim, LEGACY_KEY);
    for expected in ["QUEUED", "SENT", "DELIVERED", "DELIVERED"] {
        let report = client.status(&id).await.expect("a legacy status");
        assert_eq!(report.raw["status"], expected);
        assert_eq!(
            report.raw["message_id"],
            Value::String(id.clone()),
            "a string id"
        );
        assert!(report.last_updated.is_some());
        assert!(report.detail.is_some(), "status_message is always present");
        let mut keys: Vec<&str> = report
            .raw
            .as_object()
            .expect("object")
            .keys()
            .map(String::as_str)
            .collect();
        keys.sort_unstable();
        assert_eq!(
            keys,
            [
                "last_updated",
                "message_id",
                "request_id",
                "status",
                "status_message"
            ]
        );
    }
    let failed = sent(&sim, LEGACY_KEY, "+12015550160").await;
    let _ = client.status(&failed).await;
    let _ = client.status(&failed).await;
    let report = client.status(&failed).await.expect("final");
    assert_eq!(report.status, DeliveryStatus::Failed);
    assert_eq!(
        report.detail.as_deref(),
        Some("Carrier rejected the message.")
    );
}

#[tokio::test]
async fn unknown_ids_are_error_6() {
    let sim = sim().await;
    let id = sent(&sim, PRACTICE_KEY, PHONE).await;
    let not_found = |result: Result<octopods::DeliveryReport, StatusError>| match result {
        Err(StatusError::Rejected(r)) => {
            assert_eq!(r.http_status, 400);
            assert_eq!(r.error_code, Some(MESSAGE_NOT_FOUND_CODE));
            assert_eq!(r.error, "Message not found.");
            assert!(r.request_id.is_some());
        }
        other => panic!("expected message not found, got {other:?}"),
    };
    not_found(client(&sim, PRACTICE_KEY).status("999").await);
    not_found(client(&sim, PRACTICE_KEY).status("abc").await);
    // Another channel's key cannot read this channel's messages, HubSpot's included.
    not_found(client(&sim, LEGACY_KEY).status(&id).await);
    not_found(client(&sim, HUBSPOT_KEY).status(&id).await);
    let first = client(&sim, PRACTICE_KEY)
        .status(&id)
        .await
        .expect("own key");
    assert_eq!(
        first.status,
        DeliveryStatus::Queued,
        "failed reads did not advance it"
    );
}
