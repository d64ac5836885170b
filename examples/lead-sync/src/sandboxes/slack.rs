//! A Slack workspace: the [`World`](super::World)'s reps as members, a direct message with each, and
//! every message the bot posts, with its metadata, readable back through the history.

use std::sync::{Arc, Mutex, PoisonError};

use tether::sandbox::Reply;

use crate::providers::slack::{
    sandbox, ChatPostMessageError, ChatPostMessageRequest, ChatPostMessageSuccess,
    ConversationsHistoryError, ConversationsHistorySuccess, ConversationsOpenError,
    ConversationsOpenRequest, ConversationsOpenSuccess, CursorResponseMetadata, Message,
    OpenedConversation, SlackError, User, UserProfile, UsersLookupByEmailError,
    UsersLookupByEmailSuccess,
};
use crate::sandboxes::world::Rep;

/// The bot's user id.
const BOT_USER: &str = "UBOT00001";

/// A message as the fake workspace stores it.
#[derive(Debug, Clone)]
pub struct Posted {
    /// The channel.
    pub channel: String,
    /// The message.
    pub message: Message,
}

/// The fake Slack; clones share the workspace.
#[derive(Debug, Clone)]
pub struct FakeSlack {
    reps: Arc<Vec<Rep>>,
    messages: Arc<Mutex<Vec<Posted>>>,
}

/// A Slack error code, such as `channel_not_found`.
pub type ErrorCode = &'static str;

/// Slack's `{"ok": false, "error": code}`.
fn failure(code: ErrorCode) -> SlackError {
    SlackError {
        ok: false,
        error: code.to_owned(),
        warning: None,
        needed: None,
        provided: None,
        response_metadata: None,
    }
}

impl FakeSlack {
    /// A workspace whose members are `reps`.
    pub fn new(reps: Vec<Rep>) -> Self {
        FakeSlack {
            reps: Arc::new(reps),
            messages: Arc::default(),
        }
    }

    fn messages(&self) -> std::sync::MutexGuard<'_, Vec<Posted>> {
        self.messages.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Every message posted, oldest first.
    pub fn posted(&self) -> Vec<Posted> {
        self.messages().clone()
    }

    /// The member with `email`.
    pub fn lookup_by_email(&self, email: &str) -> Result<User, ErrorCode> {
        let rep = self
            .reps
            .iter()
            .find(|rep| rep.email.eq_ignore_ascii_case(email))
            .ok_or("users_not_found")?;
        Ok(User {
            id: rep.slack_id.clone(),
            team_id: Some("T00000001".to_owned()),
            name: Some(rep.email.split('@').next().unwrap_or_default().to_owned()),
            real_name: Some(rep.name.clone()),
            deleted: Some(false),
            is_bot: Some(false),
            is_admin: Some(false),
            tz: Some("Europe/London".to_owned()),
            tz_offset: Some(0),
            updated: None,
            profile: Some(UserProfile {
                email: Some(rep.email.clone()),
                display_name: Some(rep.name.clone()),
                real_name: Some(rep.name.clone()),
                title: Some("Account Executive".to_owned()),
                image_72: None,
            }),
        })
    }

    /// The direct message with the members `users` (one id): `D` + their id.
    pub fn open(&self, users: &str) -> Result<OpenedConversation, ErrorCode> {
        let user = users.trim();
        if users.contains(',') {
            return Err("not_supported");
        }
        if !self.reps.iter().any(|rep| rep.slack_id == user) {
            return Err("user_not_found");
        }
        Ok(OpenedConversation {
            id: direct_message(user),
        })
    }

    /// Posts a message as the bot.
    pub fn post(
        &self,
        request: ChatPostMessageRequest,
    ) -> Result<ChatPostMessageSuccess, ErrorCode> {
        let known = self
            .reps
            .iter()
            .any(|rep| direct_message(&rep.slack_id) == request.channel);
        if !known {
            return Err("channel_not_found");
        }
        let text = request.text.filter(|text| !text.is_empty());
        if text.is_none() && request.blocks.is_none() {
            return Err("no_text");
        }
        let mut messages = self.messages();
        // Timestamps are unique and increasing, as Slack's are within a channel.
        let ts = format!(
            "{}.{:06}",
            chrono::Utc::now().timestamp(),
            messages.len() + 1
        );
        let message = Message {
            r#type: Some("message".to_owned()),
            subtype: None,
            text,
            user: Some(BOT_USER.to_owned()),
            ts: Some(ts.clone()),
            bot_id: Some("B00000001".to_owned()),
            app_id: Some("A00000001".to_owned()),
            team: Some("T00000001".to_owned()),
            thread_ts: request.thread_ts,
            metadata: request.metadata,
        };
        messages.push(Posted {
            channel: request.channel.clone(),
            message: message.clone(),
        });
        Ok(ChatPostMessageSuccess {
            ok: true,
            channel: request.channel,
            ts,
            message: Some(message),
            warning: None,
            response_metadata: None,
        })
    }

    /// A page of `channel`'s messages after `oldest`, newest first; the cursor is the
    /// number of messages already returned.
    pub fn history(
        &self,
        channel: &str,
        oldest: Option<&str>,
        cursor: Option<&str>,
        limit: Option<i32>,
        include_all_metadata: bool,
    ) -> Result<ConversationsHistorySuccess, ErrorCode> {
        let oldest: f64 = match oldest {
            Some(oldest) => oldest.parse().map_err(|_| "invalid_ts_oldest")?,
            None => 0.0,
        };
        let skip: usize = match cursor.filter(|cursor| !cursor.is_empty()) {
            Some(cursor) => cursor.parse().map_err(|_| "invalid_cursor")?,
            None => 0,
        };
        let limit = limit.map_or(100, |limit| limit.clamp(1, 999) as usize);
        let matching: Vec<Message> = self
            .messages()
            .iter()
            .rev()
            .filter(|posted| posted.channel == channel)
            .map(|posted| posted.message.clone())
            .filter(|message| {
                let ts = message.ts.as_deref().unwrap_or("0");
                ts.parse::<f64>().is_ok_and(|ts| ts > oldest)
            })
            .collect();
        let has_more = matching.len() > skip + limit;
        let messages = matching
            .into_iter()
            .skip(skip)
            .take(limit)
            .map(|mut message| {
                if !include_all_metadata {
                    message.metadata = None;
                }
                message
            })
            .collect();
        Ok(ConversationsHistorySuccess {
            ok: true,
            messages,
            has_more: Some(has_more),
            pin_count: Some(0),
            response_metadata: Some(CursorResponseMetadata {
                next_cursor: Some(if has_more {
                    (skip + limit).to_string()
                } else {
                    String::new()
                }),
            }),
        })
    }
}

fn direct_message(user: &str) -> String {
    format!("D{}", user.trim_start_matches('U'))
}

impl sandbox::Api for FakeSlack {
    async fn chat_post_message(
        &self,
        body: ChatPostMessageRequest,
    ) -> Reply<ChatPostMessageSuccess, ChatPostMessageError> {
        self.post(body)
            .map_err(|code| ChatPostMessageError::Failed(failure(code)))
            .into()
    }

    async fn users_lookup_by_email(
        &self,
        email: String,
    ) -> Reply<UsersLookupByEmailSuccess, UsersLookupByEmailError> {
        self.lookup_by_email(&email)
            .map(|user| UsersLookupByEmailSuccess { ok: true, user })
            .map_err(|code| UsersLookupByEmailError::Failed(failure(code)))
            .into()
    }

    async fn conversations_open(
        &self,
        body: ConversationsOpenRequest,
    ) -> Reply<ConversationsOpenSuccess, ConversationsOpenError> {
        self.open(&body.users)
            .map(|channel| ConversationsOpenSuccess {
                ok: true,
                channel,
                no_op: None,
                already_open: None,
            })
            .map_err(|code| ConversationsOpenError::Failed(failure(code)))
            .into()
    }

    #[allow(clippy::too_many_arguments)]
    async fn conversations_history(
        &self,
        channel: String,
        cursor: Option<String>,
        limit: Option<i32>,
        oldest: Option<String>,
        _latest: Option<String>,
        _inclusive: Option<bool>,
        include_all_metadata: Option<bool>,
    ) -> Reply<ConversationsHistorySuccess, ConversationsHistoryError> {
        self.history(
            &channel,
            oldest.as_deref(),
            cursor.as_deref(),
            limit,
            include_all_metadata.unwrap_or(false),
        )
        .map_err(|code| ConversationsHistoryError::Failed(failure(code)))
        .into()
    }
}
