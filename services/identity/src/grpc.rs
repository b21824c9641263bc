//! gRPC adapters of identity: the tonic server and the client implementing
//! [`IdentityApi`]. Conversions only.

use std::sync::Arc;

use async_trait::async_trait;
use edu24_proto::common::v1::LocalizedText;
use edu24_proto::identity::v1 as pb;
use edu24_proto::identity::v1::identity_client::IdentityClient as PbClient;
use edu24_proto::identity::v1::identity_server::{Identity, IdentityServer};
use edu24_shared::auth::{CallCtx, Role};
use edu24_shared::error::{ApiError, ApiResult};
use edu24_shared::grpc::{ctx_from, error_from, request, status_from};
use tonic::transport::Channel;
use tonic::{Request, Response, Status};

use crate::TotpSetup;
use crate::domain::*;
use crate::{
    AccessLogEntry, AccountDetail, AccountSummary, DocumentFile, IdentityApi, JobView, PreviewRow, RowIssue,
    SessionView, UploadPreview,
};
use crate::{AccessRequestInput, AccessRequestView};
use crate::{EmployerRequestView, RegistrationInput, RegistrationKind};
use edu24_shared::auth::RoleGrant;

const CHUNK: usize = 1 << 20;

fn session_pb(s: SessionView) -> pb::Session {
    pb::Session {
        id: s.id,
        created_at_ms: s.created_at_ms,
        last_seen_at_ms: s.last_seen_at_ms,
        client_address: s.client_address,
        user_agent: s.user_agent,
        current: s.current,
    }
}

fn session_from(s: pb::Session) -> SessionView {
    SessionView {
        id: s.id,
        created_at_ms: s.created_at_ms,
        last_seen_at_ms: s.last_seen_at_ms,
        client_address: s.client_address,
        user_agent: s.user_agent,
        current: s.current,
    }
}

fn role_pb(r: RoleView) -> pb::RoleGrant {
    pb::RoleGrant {
        role: r.role.as_str().to_owned(),
        institution_id: r.institution_id.unwrap_or_default(),
        institution_name: r.institution_name.map(|n| LocalizedText { ky: n.ky, ru: n.ru, en: n.en }),
    }
}

fn role_from(r: pb::RoleGrant) -> ApiResult<RoleView> {
    Ok(RoleView {
        role: Role::parse(&r.role).ok_or_else(|| ApiError::invalid("role", "unknown role"))?,
        institution_id: (!r.institution_id.is_empty()).then_some(r.institution_id),
        institution_name: r.institution_name.map(|n| Localized { ky: n.ky, ru: n.ru, en: n.en }),
    })
}

fn summary_pb(a: AccountSummary) -> pb::AccountSummary {
    pb::AccountSummary {
        id: a.id,
        login: a.login,
        display_name: a.display_name,
        disabled: a.disabled,
        roles: a.roles.into_iter().map(role_pb).collect(),
    }
}

fn summary_from(a: pb::AccountSummary) -> ApiResult<AccountSummary> {
    Ok(AccountSummary {
        id: a.id,
        login: a.login,
        display_name: a.display_name,
        disabled: a.disabled,
        roles: a.roles.into_iter().map(role_from).collect::<ApiResult<_>>()?,
    })
}

fn job_pb(j: JobView) -> pb::IssuanceJob {
    pb::IssuanceJob {
        id: j.id,
        institution_id: j.institution_id,
        file_name: j.file_name,
        state: j.state,
        total: j.total,
        done: j.done,
        skipped: j.skipped,
        created_at_ms: j.created_at_ms,
        finished_at_ms: j.finished_at_ms.unwrap_or(0),
    }
}

fn job_from(j: pb::IssuanceJob) -> JobView {
    JobView {
        id: j.id,
        institution_id: j.institution_id,
        file_name: j.file_name,
        state: j.state,
        total: j.total,
        done: j.done,
        skipped: j.skipped,
        created_at_ms: j.created_at_ms,
        finished_at_ms: (j.finished_at_ms != 0).then_some(j.finished_at_ms),
    }
}

fn request_pb(i: AccessRequestInput) -> pb::AccessRequest {
    pb::AccessRequest {
        institution_id: i.institution_id,
        pin: i.pin,
        ticket_no: i.ticket_no,
        surname: i.surname,
        given_name: i.given_name,
        patronymic: i.patronymic,
        programme: i.programme,
        study_year: i.study_year,
        contact: i.contact,
    }
}

fn request_from(r: pb::AccessRequest) -> AccessRequestInput {
    AccessRequestInput {
        institution_id: r.institution_id,
        pin: r.pin,
        ticket_no: r.ticket_no,
        surname: r.surname,
        given_name: r.given_name,
        patronymic: r.patronymic,
        programme: r.programme,
        study_year: r.study_year,
        contact: r.contact,
    }
}

fn opt(s: String) -> Option<String> {
    (!s.is_empty()).then_some(s)
}

pub struct IdentityGrpc {
    inner: Arc<dyn IdentityApi>,
}

impl IdentityGrpc {
    pub fn server(inner: Arc<dyn IdentityApi>) -> IdentityServer<Self> {
        // Rosters of up to 8 MiB travel in one message.
        IdentityServer::new(Self { inner }).max_decoding_message_size(16 << 20)
    }
}

#[tonic::async_trait]
impl Identity for IdentityGrpc {
    async fn login(&self, req: Request<pb::LoginRequest>) -> Result<Response<pb::LoginResponse>, Status> {
        let ctx = ctx_from(&req);
        let r = req.into_inner();
        let out = self
            .inner
            .login(
                &ctx,
                LoginRequest {
                    login: r.login,
                    password: r.password,
                    client_address: r.client_address,
                    user_agent: r.user_agent,
                },
            )
            .await
            .map_err(status_from)?;
        Ok(Response::new(pb::LoginResponse {
            session_secret: out.session_secret,
            idle_expires_at_ms: out.idle_expires_at_ms,
            absolute_expires_at_ms: out.absolute_expires_at_ms,
            must_change_password: out.must_change_password,
            second_factor_required: out.second_factor_required,
        }))
    }

    async fn logout(&self, req: Request<pb::SessionRequest>) -> Result<Response<pb::LogoutResponse>, Status> {
        let ctx = ctx_from(&req);
        self.inner.logout(&ctx, &req.get_ref().session_secret).await.map_err(status_from)?;
        Ok(Response::new(pb::LogoutResponse {}))
    }

    async fn session_token(
        &self,
        req: Request<pb::SessionRequest>,
    ) -> Result<Response<pb::SessionTokenResponse>, Status> {
        let ctx = ctx_from(&req);
        let t = self.inner.session_token(&ctx, &req.get_ref().session_secret).await.map_err(status_from)?;
        Ok(Response::new(pb::SessionTokenResponse { access_token: t.token, expires_at_ms: t.expires_at_ms }))
    }

    async fn me(&self, req: Request<pb::MeRequest>) -> Result<Response<pb::Account>, Status> {
        let ctx = ctx_from(&req);
        let a = self.inner.me(&ctx).await.map_err(status_from)?;
        Ok(Response::new(pb::Account {
            id: a.id,
            login: a.login,
            display_name: a.display_name,
            roles: a.roles.into_iter().map(role_pb).collect(),
            must_change_password: a.must_change_password,
            created_at_ms: a.created_at_ms,
            second_factor: a.second_factor,
            second_factor_due_ms: a.second_factor_due_ms.unwrap_or(0),
            email: a.email.unwrap_or_default(),
            email_verified: a.email_verified,
        }))
    }

    async fn password_change(&self, req: Request<pb::PasswordChangeRequest>) -> Result<Response<pb::Empty>, Status> {
        let ctx = ctx_from(&req);
        let r = req.into_inner();
        self.inner.password_change(&ctx, &r.current_password, &r.new_password).await.map_err(status_from)?;
        Ok(Response::new(pb::Empty {}))
    }

    async fn sessions_list(&self, req: Request<pb::AccountRef>) -> Result<Response<pb::SessionsResponse>, Status> {
        let ctx = ctx_from(&req);
        let id = opt(req.into_inner().account_id);
        let sessions = self.inner.sessions_list(&ctx, id.as_deref()).await.map_err(status_from)?;
        Ok(Response::new(pb::SessionsResponse { sessions: sessions.into_iter().map(session_pb).collect() }))
    }

    async fn session_end(&self, req: Request<pb::SessionEndRequest>) -> Result<Response<pb::Empty>, Status> {
        let ctx = ctx_from(&req);
        self.inner.session_end(&ctx, &req.get_ref().session_id).await.map_err(status_from)?;
        Ok(Response::new(pb::Empty {}))
    }

    async fn my_access_log(
        &self,
        req: Request<pb::MyAccessLogRequest>,
    ) -> Result<Response<pb::AccessLogResponse>, Status> {
        let ctx = ctx_from(&req);
        let entries = self.inner.my_access_log(&ctx, req.get_ref().limit).await.map_err(status_from)?;
        Ok(Response::new(pb::AccessLogResponse {
            entries: entries
                .into_iter()
                .map(|e| pb::AccessLogEntry {
                    seq: e.seq,
                    at_ms: e.at_ms,
                    actor: e.actor,
                    action: e.action,
                    client_address: e.client_address,
                    detail: e.detail,
                })
                .collect(),
        }))
    }

    async fn account_search(
        &self,
        req: Request<pb::AccountSearchRequest>,
    ) -> Result<Response<pb::AccountSearchResponse>, Status> {
        let ctx = ctx_from(&req);
        let found = self.inner.account_search(&ctx, &req.get_ref().text).await.map_err(status_from)?;
        Ok(Response::new(pb::AccountSearchResponse { accounts: found.into_iter().map(summary_pb).collect() }))
    }

    async fn account_get(&self, req: Request<pb::AccountRef>) -> Result<Response<pb::AccountDetail>, Status> {
        let ctx = ctx_from(&req);
        let d = self.inner.account_get(&ctx, &req.get_ref().account_id).await.map_err(status_from)?;
        Ok(Response::new(pb::AccountDetail {
            summary: Some(summary_pb(d.summary)),
            must_change_password: d.must_change_password,
            created_at_ms: d.created_at_ms,
            sessions: d.sessions.into_iter().map(session_pb).collect(),
            ticket_no: d.ticket_no.unwrap_or_default(),
            programme: d.programme.unwrap_or_default(),
            study_year: d.study_year.unwrap_or(0),
        }))
    }

    async fn role_change(&self, req: Request<pb::RoleChangeRequest>) -> Result<Response<pb::Empty>, Status> {
        let ctx = ctx_from(&req);
        let r = req.into_inner();
        let role = Role::parse(&r.role).ok_or_else(|| status_from(ApiError::invalid("role", "unknown role")))?;
        let grant = RoleGrant { role, inst: opt(r.institution_id) };
        self.inner.role_change(&ctx, &r.account_id, grant, r.grant, &r.reason).await.map_err(status_from)?;
        Ok(Response::new(pb::Empty {}))
    }

    async fn account_set_disabled(
        &self,
        req: Request<pb::AccountSetDisabledRequest>,
    ) -> Result<Response<pb::Empty>, Status> {
        let ctx = ctx_from(&req);
        let r = req.into_inner();
        self.inner.account_set_disabled(&ctx, &r.account_id, r.disabled, &r.reason).await.map_err(status_from)?;
        Ok(Response::new(pb::Empty {}))
    }

    async fn sessions_end_all(
        &self,
        req: Request<pb::ReasonedAccountRequest>,
    ) -> Result<Response<pb::SessionsEndAllResponse>, Status> {
        let ctx = ctx_from(&req);
        let r = req.into_inner();
        let ended = self.inner.sessions_end_all(&ctx, &r.account_id, &r.reason).await.map_err(status_from)?;
        Ok(Response::new(pb::SessionsEndAllResponse { ended }))
    }

    type PasswordReissueCardStream =
        std::pin::Pin<Box<dyn tokio_stream::Stream<Item = Result<pb::DocumentChunk, Status>> + Send>>;

    async fn password_reissue_card(
        &self,
        req: Request<pb::ReasonedAccountRequest>,
    ) -> Result<Response<Self::PasswordReissueCardStream>, Status> {
        let ctx = ctx_from(&req);
        let r = req.into_inner();
        let doc = self.inner.password_reissue_card(&ctx, &r.account_id, &r.reason).await.map_err(status_from)?;
        Ok(Response::new(document_stream(doc)))
    }

    async fn roster_upload(
        &self,
        req: Request<pb::RosterUploadRequest>,
    ) -> Result<Response<pb::UploadPreview>, Status> {
        let ctx = ctx_from(&req);
        let r = req.into_inner();
        let p =
            self.inner.roster_upload(&ctx, &r.institution_id, &r.file_name, &r.content).await.map_err(status_from)?;
        Ok(Response::new(pb::UploadPreview {
            upload_id: p.upload_id,
            file_name: p.file_name,
            institution_id: p.institution_id,
            rows: p.rows,
            new_accounts: p.new_accounts,
            already_issued: p.already_issued,
            problems: p
                .problems
                .into_iter()
                .map(|i| pb::RowIssue {
                    row: i.row,
                    column: i.column,
                    code: i.code,
                    other_row: i.other_row.unwrap_or(0),
                })
                .collect(),
            sample: p
                .sample
                .into_iter()
                .map(|s| pb::PreviewRow {
                    display_name: s.display_name,
                    login: s.login,
                    programme: s.programme,
                    year: s.year,
                })
                .collect(),
        }))
    }

    async fn issuance_start(
        &self,
        req: Request<pb::IssuanceStartRequest>,
    ) -> Result<Response<pb::IssuanceJob>, Status> {
        let ctx = ctx_from(&req);
        let j = self.inner.issuance_start(&ctx, &req.get_ref().upload_id).await.map_err(status_from)?;
        Ok(Response::new(job_pb(j)))
    }

    async fn issuance_get(&self, req: Request<pb::IssuanceRef>) -> Result<Response<pb::IssuanceJob>, Status> {
        let ctx = ctx_from(&req);
        let j = self.inner.issuance_get(&ctx, &req.get_ref().job_id).await.map_err(status_from)?;
        Ok(Response::new(job_pb(j)))
    }

    async fn issuance_list(&self, req: Request<pb::Empty>) -> Result<Response<pb::IssuanceJobs>, Status> {
        let ctx = ctx_from(&req);
        let jobs = self.inner.issuance_list(&ctx).await.map_err(status_from)?;
        Ok(Response::new(pb::IssuanceJobs { jobs: jobs.into_iter().map(job_pb).collect() }))
    }

    type IssuanceCardsStream =
        std::pin::Pin<Box<dyn tokio_stream::Stream<Item = Result<pb::DocumentChunk, Status>> + Send>>;

    async fn issuance_cards(
        &self,
        req: Request<pb::IssuanceRef>,
    ) -> Result<Response<Self::IssuanceCardsStream>, Status> {
        let ctx = ctx_from(&req);
        let doc = self.inner.issuance_cards(&ctx, &req.get_ref().job_id).await.map_err(status_from)?;
        Ok(Response::new(document_stream(doc)))
    }

    async fn issuance_close(&self, req: Request<pb::IssuanceRef>) -> Result<Response<pb::IssuanceJob>, Status> {
        let ctx = ctx_from(&req);
        let j = self.inner.issuance_close(&ctx, &req.get_ref().job_id).await.map_err(status_from)?;
        Ok(Response::new(job_pb(j)))
    }

    async fn totp_begin(&self, req: Request<pb::Empty>) -> Result<Response<pb::TotpSetup>, Status> {
        let ctx = ctx_from(&req);
        let t = self.inner.totp_begin(&ctx).await.map_err(status_from)?;
        Ok(Response::new(pb::TotpSetup { secret: t.secret, uri: t.uri }))
    }

    async fn totp_enable(&self, req: Request<pb::TotpCode>) -> Result<Response<pb::RecoveryCodes>, Status> {
        let ctx = ctx_from(&req);
        let codes = self.inner.totp_enable(&ctx, &req.get_ref().code).await.map_err(status_from)?;
        Ok(Response::new(pb::RecoveryCodes { codes }))
    }

    async fn totp_disable(&self, req: Request<pb::TotpCode>) -> Result<Response<pb::Empty>, Status> {
        let ctx = ctx_from(&req);
        self.inner.totp_disable(&ctx, &req.get_ref().code).await.map_err(status_from)?;
        Ok(Response::new(pb::Empty {}))
    }

    async fn session_second_factor(
        &self,
        req: Request<pb::SecondFactorRequest>,
    ) -> Result<Response<pb::Empty>, Status> {
        let ctx = ctx_from(&req);
        let r = req.into_inner();
        self.inner.session_second_factor(&ctx, &r.session_secret, &r.code).await.map_err(status_from)?;
        Ok(Response::new(pb::Empty {}))
    }

    async fn access_request_submit(
        &self,
        req: Request<pb::AccessRequest>,
    ) -> Result<Response<pb::AccessRequestRef>, Status> {
        let ctx = ctx_from(&req);
        let id = self.inner.access_request_submit(&ctx, request_from(req.into_inner())).await.map_err(status_from)?;
        Ok(Response::new(pb::AccessRequestRef { id }))
    }

    async fn access_requests_pending(&self, req: Request<pb::Empty>) -> Result<Response<pb::AccessRequests>, Status> {
        let ctx = ctx_from(&req);
        let list = self.inner.access_requests_pending(&ctx).await.map_err(status_from)?;
        Ok(Response::new(pb::AccessRequests {
            requests: list
                .into_iter()
                .map(|v| pb::PendingAccessRequest {
                    id: v.id,
                    request: Some(request_pb(v.input)),
                    created_at_ms: v.created_at_ms,
                    state: v.state,
                })
                .collect(),
        }))
    }

    type AccessRequestDecideStream =
        std::pin::Pin<Box<dyn tokio_stream::Stream<Item = Result<pb::DocumentChunk, Status>> + Send>>;

    async fn access_request_decide(
        &self,
        req: Request<pb::AccessRequestDecision>,
    ) -> Result<Response<Self::AccessRequestDecideStream>, Status> {
        let ctx = ctx_from(&req);
        let r = req.into_inner();
        let doc = self.inner.access_request_decide(&ctx, &r.id, r.approve, &r.reason).await.map_err(status_from)?;
        Ok(Response::new(match doc {
            Some(d) => document_stream(d),
            None => Box::pin(tokio_stream::iter(Vec::new())),
        }))
    }

    type AccountIssueStream =
        std::pin::Pin<Box<dyn tokio_stream::Stream<Item = Result<pb::DocumentChunk, Status>> + Send>>;

    async fn account_issue(
        &self,
        req: Request<pb::AccountIssueRequest>,
    ) -> Result<Response<Self::AccountIssueStream>, Status> {
        let ctx = ctx_from(&req);
        let r = req.into_inner();
        let role = Role::parse(&r.role).ok_or_else(|| status_from(ApiError::invalid("role", "unknown role")))?;
        let grant = RoleGrant { role, inst: opt(r.institution_id) };
        let doc =
            self.inner.account_issue(&ctx, &r.login, &r.display_name, grant, &r.reason).await.map_err(status_from)?;
        Ok(Response::new(document_stream(doc)))
    }

    async fn register(&self, req: Request<pb::Registration>) -> Result<Response<pb::AccountRef>, Status> {
        let ctx = ctx_from(&req);
        let r = req.into_inner();
        let kind = match r.kind.as_str() {
            "applicant" => RegistrationKind::Applicant,
            "employer" => RegistrationKind::Employer,
            _ => return Err(status_from(ApiError::invalid("kind", "applicant or employer"))),
        };
        let input = RegistrationInput {
            kind,
            login: r.login,
            display_name: r.display_name,
            password: r.password,
            organisation: r.organisation,
            tax_id: r.tax_id,
            contact: r.contact,
        };
        let id = self.inner.register(&ctx, input).await.map_err(status_from)?;
        Ok(Response::new(pb::AccountRef { account_id: id }))
    }

    async fn employer_requests_pending(
        &self,
        req: Request<pb::Empty>,
    ) -> Result<Response<pb::EmployerRequests>, Status> {
        let ctx = ctx_from(&req);
        let list = self.inner.employer_requests_pending(&ctx).await.map_err(status_from)?;
        Ok(Response::new(pb::EmployerRequests {
            requests: list
                .into_iter()
                .map(|v| pb::EmployerRequest {
                    account_id: v.account_id,
                    login: v.login,
                    display_name: v.display_name,
                    organisation: v.organisation,
                    tax_id: v.tax_id,
                    contact: v.contact,
                    created_at_ms: v.created_at_ms,
                    state: v.state,
                })
                .collect(),
        }))
    }

    async fn employer_request_decide(&self, req: Request<pb::EmployerDecision>) -> Result<Response<pb::Empty>, Status> {
        let ctx = ctx_from(&req);
        let r = req.into_inner();
        self.inner.employer_request_decide(&ctx, &r.account_id, r.verify, &r.reason).await.map_err(status_from)?;
        Ok(Response::new(pb::Empty {}))
    }

    async fn employer_request_state(&self, req: Request<pb::Empty>) -> Result<Response<pb::EmployerState>, Status> {
        let ctx = ctx_from(&req);
        let state = self.inner.employer_request_state(&ctx).await.map_err(status_from)?;
        Ok(Response::new(pb::EmployerState { state: state.unwrap_or_default() }))
    }

    async fn email_set(&self, req: Request<pb::EmailRequest>) -> Result<Response<pb::Empty>, Status> {
        let ctx = ctx_from(&req);
        self.inner.email_set(&ctx, &req.get_ref().email).await.map_err(status_from)?;
        Ok(Response::new(pb::Empty {}))
    }

    async fn email_verify(&self, req: Request<pb::TokenRequest>) -> Result<Response<pb::Empty>, Status> {
        let ctx = ctx_from(&req);
        self.inner.email_verify(&ctx, &req.get_ref().token).await.map_err(status_from)?;
        Ok(Response::new(pb::Empty {}))
    }

    async fn reset_request(&self, req: Request<pb::ResetRequestMessage>) -> Result<Response<pb::Empty>, Status> {
        let ctx = ctx_from(&req);
        self.inner.reset_request(&ctx, &req.get_ref().login).await.map_err(status_from)?;
        Ok(Response::new(pb::Empty {}))
    }

    async fn reset_complete(&self, req: Request<pb::ResetCompleteRequest>) -> Result<Response<pb::Empty>, Status> {
        let ctx = ctx_from(&req);
        let r = req.into_inner();
        self.inner.reset_complete(&ctx, &r.token, &r.new_password).await.map_err(status_from)?;
        Ok(Response::new(pb::Empty {}))
    }

    async fn verification_keys(
        &self,
        _req: Request<pb::VerificationKeysRequest>,
    ) -> Result<Response<pb::VerificationKeysResponse>, Status> {
        let keys = self.inner.verification_keys().await.map_err(status_from)?;
        Ok(Response::new(pb::VerificationKeysResponse {
            keys: keys.into_iter().map(|(kid, pk)| pb::VerificationKey { kid, public_key: pk.to_vec() }).collect(),
        }))
    }
}

/// A document as a stream of chunks, the file name in the first.
fn document_stream(
    doc: DocumentFile,
) -> std::pin::Pin<Box<dyn tokio_stream::Stream<Item = Result<pb::DocumentChunk, Status>> + Send>> {
    let mut chunks: Vec<Result<pb::DocumentChunk, Status>> =
        doc.bytes.chunks(CHUNK).map(|c| Ok(pb::DocumentChunk { data: c.to_vec(), file_name: String::new() })).collect();
    if let Some(Ok(first)) = chunks.first_mut() {
        first.file_name = doc.file_name;
    }
    Box::pin(tokio_stream::iter(chunks))
}

async fn document_collect(mut stream: tonic::Streaming<pb::DocumentChunk>) -> ApiResult<DocumentFile> {
    let mut doc = DocumentFile { file_name: String::new(), bytes: Vec::new() };
    while let Some(chunk) = stream.message().await.map_err(error_from)? {
        if doc.file_name.is_empty() {
            doc.file_name = chunk.file_name;
        }
        doc.bytes.extend_from_slice(&chunk.data);
    }
    Ok(doc)
}

/// [`IdentityApi`] over gRPC.
#[derive(Clone)]
pub struct IdentityClient {
    client: PbClient<Channel>,
}

impl IdentityClient {
    pub fn new(channel: Channel) -> Self {
        Self { client: PbClient::new(channel).max_encoding_message_size(16 << 20).max_decoding_message_size(16 << 20) }
    }
}

#[async_trait]
impl IdentityApi for IdentityClient {
    async fn login(&self, ctx: &CallCtx, req: LoginRequest) -> ApiResult<LoginOutcome> {
        let msg = pb::LoginRequest {
            login: req.login,
            password: req.password,
            client_address: req.client_address,
            user_agent: req.user_agent,
        };
        let r = self.client.clone().login(request(msg, ctx)).await.map_err(error_from)?.into_inner();
        Ok(LoginOutcome {
            session_secret: r.session_secret,
            idle_expires_at_ms: r.idle_expires_at_ms,
            absolute_expires_at_ms: r.absolute_expires_at_ms,
            must_change_password: r.must_change_password,
            second_factor_required: r.second_factor_required,
        })
    }

    async fn logout(&self, ctx: &CallCtx, session_secret: &str) -> ApiResult<()> {
        let msg = pb::SessionRequest { session_secret: session_secret.to_owned() };
        self.client.clone().logout(request(msg, ctx)).await.map_err(error_from)?;
        Ok(())
    }

    async fn session_token(&self, ctx: &CallCtx, session_secret: &str) -> ApiResult<AccessToken> {
        let msg = pb::SessionRequest { session_secret: session_secret.to_owned() };
        let r = self.client.clone().session_token(request(msg, ctx)).await.map_err(error_from)?.into_inner();
        Ok(AccessToken { token: r.access_token, expires_at_ms: r.expires_at_ms })
    }

    async fn me(&self, ctx: &CallCtx) -> ApiResult<Account> {
        let a = self.client.clone().me(request(pb::MeRequest {}, ctx)).await.map_err(error_from)?.into_inner();
        Ok(Account {
            id: a.id,
            login: a.login,
            display_name: a.display_name,
            roles: a.roles.into_iter().map(role_from).collect::<ApiResult<_>>()?,
            must_change_password: a.must_change_password,
            created_at_ms: a.created_at_ms,
            second_factor: a.second_factor,
            second_factor_due_ms: (a.second_factor_due_ms != 0).then_some(a.second_factor_due_ms),
            email_verified: a.email_verified,
            email: opt(a.email),
        })
    }

    async fn password_change(&self, ctx: &CallCtx, current: &str, new: &str) -> ApiResult<()> {
        let msg = pb::PasswordChangeRequest { current_password: current.to_owned(), new_password: new.to_owned() };
        self.client.clone().password_change(request(msg, ctx)).await.map_err(error_from)?;
        Ok(())
    }

    async fn sessions_list(&self, ctx: &CallCtx, account_id: Option<&str>) -> ApiResult<Vec<SessionView>> {
        let msg = pb::AccountRef { account_id: account_id.unwrap_or_default().to_owned() };
        let r = self.client.clone().sessions_list(request(msg, ctx)).await.map_err(error_from)?.into_inner();
        Ok(r.sessions.into_iter().map(session_from).collect())
    }

    async fn session_end(&self, ctx: &CallCtx, session_id: &str) -> ApiResult<()> {
        let msg = pb::SessionEndRequest { session_id: session_id.to_owned() };
        self.client.clone().session_end(request(msg, ctx)).await.map_err(error_from)?;
        Ok(())
    }

    async fn my_access_log(&self, ctx: &CallCtx, limit: i64) -> ApiResult<Vec<AccessLogEntry>> {
        let r = self
            .client
            .clone()
            .my_access_log(request(pb::MyAccessLogRequest { limit }, ctx))
            .await
            .map_err(error_from)?;
        Ok(r.into_inner()
            .entries
            .into_iter()
            .map(|e| AccessLogEntry {
                seq: e.seq,
                at_ms: e.at_ms,
                actor: e.actor,
                action: e.action,
                client_address: e.client_address,
                detail: e.detail,
            })
            .collect())
    }

    async fn account_search(&self, ctx: &CallCtx, text: &str) -> ApiResult<Vec<AccountSummary>> {
        let msg = pb::AccountSearchRequest { text: text.to_owned() };
        let r = self.client.clone().account_search(request(msg, ctx)).await.map_err(error_from)?.into_inner();
        r.accounts.into_iter().map(summary_from).collect()
    }

    async fn account_get(&self, ctx: &CallCtx, account_id: &str) -> ApiResult<AccountDetail> {
        let msg = pb::AccountRef { account_id: account_id.to_owned() };
        let d = self.client.clone().account_get(request(msg, ctx)).await.map_err(error_from)?.into_inner();
        Ok(AccountDetail {
            summary: summary_from(d.summary.ok_or_else(ApiError::internal)?)?,
            must_change_password: d.must_change_password,
            created_at_ms: d.created_at_ms,
            sessions: d.sessions.into_iter().map(session_from).collect(),
            ticket_no: opt(d.ticket_no),
            programme: opt(d.programme),
            study_year: (d.study_year != 0).then_some(d.study_year),
        })
    }

    async fn role_change(
        &self,
        ctx: &CallCtx,
        account_id: &str,
        role: RoleGrant,
        grant: bool,
        reason: &str,
    ) -> ApiResult<()> {
        let msg = pb::RoleChangeRequest {
            account_id: account_id.to_owned(),
            role: role.role.as_str().to_owned(),
            institution_id: role.inst.unwrap_or_default(),
            grant,
            reason: reason.to_owned(),
        };
        self.client.clone().role_change(request(msg, ctx)).await.map_err(error_from)?;
        Ok(())
    }

    async fn account_set_disabled(
        &self,
        ctx: &CallCtx,
        account_id: &str,
        disabled: bool,
        reason: &str,
    ) -> ApiResult<()> {
        let msg =
            pb::AccountSetDisabledRequest { account_id: account_id.to_owned(), disabled, reason: reason.to_owned() };
        self.client.clone().account_set_disabled(request(msg, ctx)).await.map_err(error_from)?;
        Ok(())
    }

    async fn sessions_end_all(&self, ctx: &CallCtx, account_id: &str, reason: &str) -> ApiResult<u64> {
        let msg = pb::ReasonedAccountRequest { account_id: account_id.to_owned(), reason: reason.to_owned() };
        Ok(self.client.clone().sessions_end_all(request(msg, ctx)).await.map_err(error_from)?.into_inner().ended)
    }

    async fn password_reissue_card(&self, ctx: &CallCtx, account_id: &str, reason: &str) -> ApiResult<DocumentFile> {
        let msg = pb::ReasonedAccountRequest { account_id: account_id.to_owned(), reason: reason.to_owned() };
        let stream =
            self.client.clone().password_reissue_card(request(msg, ctx)).await.map_err(error_from)?.into_inner();
        document_collect(stream).await
    }

    async fn roster_upload(
        &self,
        ctx: &CallCtx,
        institution_id: &str,
        file_name: &str,
        content: &[u8],
    ) -> ApiResult<UploadPreview> {
        let msg = pb::RosterUploadRequest {
            institution_id: institution_id.to_owned(),
            file_name: file_name.to_owned(),
            content: content.to_vec(),
        };
        let p = self.client.clone().roster_upload(request(msg, ctx)).await.map_err(error_from)?.into_inner();
        Ok(UploadPreview {
            upload_id: p.upload_id,
            file_name: p.file_name,
            institution_id: p.institution_id,
            rows: p.rows,
            new_accounts: p.new_accounts,
            already_issued: p.already_issued,
            problems: p
                .problems
                .into_iter()
                .map(|i| RowIssue {
                    row: i.row,
                    column: i.column,
                    code: i.code,
                    other_row: (i.other_row != 0).then_some(i.other_row),
                })
                .collect(),
            sample: p
                .sample
                .into_iter()
                .map(|s| PreviewRow {
                    display_name: s.display_name,
                    login: s.login,
                    programme: s.programme,
                    year: s.year,
                })
                .collect(),
        })
    }

    async fn issuance_start(&self, ctx: &CallCtx, upload_id: &str) -> ApiResult<JobView> {
        let msg = pb::IssuanceStartRequest { upload_id: upload_id.to_owned() };
        Ok(job_from(self.client.clone().issuance_start(request(msg, ctx)).await.map_err(error_from)?.into_inner()))
    }

    async fn issuance_get(&self, ctx: &CallCtx, job_id: &str) -> ApiResult<JobView> {
        let msg = pb::IssuanceRef { job_id: job_id.to_owned() };
        Ok(job_from(self.client.clone().issuance_get(request(msg, ctx)).await.map_err(error_from)?.into_inner()))
    }

    async fn issuance_list(&self, ctx: &CallCtx) -> ApiResult<Vec<JobView>> {
        let r = self.client.clone().issuance_list(request(pb::Empty {}, ctx)).await.map_err(error_from)?.into_inner();
        Ok(r.jobs.into_iter().map(job_from).collect())
    }

    async fn issuance_cards(&self, ctx: &CallCtx, job_id: &str) -> ApiResult<DocumentFile> {
        let msg = pb::IssuanceRef { job_id: job_id.to_owned() };
        let stream = self.client.clone().issuance_cards(request(msg, ctx)).await.map_err(error_from)?.into_inner();
        document_collect(stream).await
    }

    async fn issuance_close(&self, ctx: &CallCtx, job_id: &str) -> ApiResult<JobView> {
        let msg = pb::IssuanceRef { job_id: job_id.to_owned() };
        Ok(job_from(self.client.clone().issuance_close(request(msg, ctx)).await.map_err(error_from)?.into_inner()))
    }

    async fn totp_begin(&self, ctx: &CallCtx) -> ApiResult<TotpSetup> {
        let r = self.client.clone().totp_begin(request(pb::Empty {}, ctx)).await.map_err(error_from)?.into_inner();
        Ok(TotpSetup { secret: r.secret, uri: r.uri })
    }

    async fn totp_enable(&self, ctx: &CallCtx, code: &str) -> ApiResult<Vec<String>> {
        let msg = pb::TotpCode { code: code.to_owned() };
        Ok(self.client.clone().totp_enable(request(msg, ctx)).await.map_err(error_from)?.into_inner().codes)
    }

    async fn totp_disable(&self, ctx: &CallCtx, code: &str) -> ApiResult<()> {
        let msg = pb::TotpCode { code: code.to_owned() };
        self.client.clone().totp_disable(request(msg, ctx)).await.map_err(error_from)?;
        Ok(())
    }

    async fn session_second_factor(&self, ctx: &CallCtx, session_secret: &str, code: &str) -> ApiResult<()> {
        let msg = pb::SecondFactorRequest { session_secret: session_secret.to_owned(), code: code.to_owned() };
        self.client.clone().session_second_factor(request(msg, ctx)).await.map_err(error_from)?;
        Ok(())
    }

    async fn access_request_submit(&self, ctx: &CallCtx, input: AccessRequestInput) -> ApiResult<String> {
        Ok(self
            .client
            .clone()
            .access_request_submit(request(request_pb(input), ctx))
            .await
            .map_err(error_from)?
            .into_inner()
            .id)
    }

    async fn access_requests_pending(&self, ctx: &CallCtx) -> ApiResult<Vec<AccessRequestView>> {
        let r = self
            .client
            .clone()
            .access_requests_pending(request(pb::Empty {}, ctx))
            .await
            .map_err(error_from)?
            .into_inner();
        Ok(r.requests
            .into_iter()
            .map(|p| AccessRequestView {
                id: p.id,
                input: request_from(p.request.unwrap_or_default()),
                created_at_ms: p.created_at_ms,
                state: p.state,
            })
            .collect())
    }

    async fn access_request_decide(
        &self,
        ctx: &CallCtx,
        id: &str,
        approve: bool,
        reason: &str,
    ) -> ApiResult<Option<DocumentFile>> {
        let msg = pb::AccessRequestDecision { id: id.to_owned(), approve, reason: reason.to_owned() };
        let stream =
            self.client.clone().access_request_decide(request(msg, ctx)).await.map_err(error_from)?.into_inner();
        let doc = document_collect(stream).await?;
        Ok((!doc.bytes.is_empty()).then_some(doc))
    }

    async fn account_issue(
        &self,
        ctx: &CallCtx,
        login: &str,
        display_name: &str,
        role: RoleGrant,
        reason: &str,
    ) -> ApiResult<DocumentFile> {
        let msg = pb::AccountIssueRequest {
            login: login.to_owned(),
            display_name: display_name.to_owned(),
            role: role.role.as_str().to_owned(),
            institution_id: role.inst.unwrap_or_default(),
            reason: reason.to_owned(),
        };
        let stream = self.client.clone().account_issue(request(msg, ctx)).await.map_err(error_from)?.into_inner();
        document_collect(stream).await
    }

    async fn register(&self, ctx: &CallCtx, input: RegistrationInput) -> ApiResult<String> {
        let msg = pb::Registration {
            kind: match input.kind {
                RegistrationKind::Applicant => "applicant".into(),
                RegistrationKind::Employer => "employer".into(),
            },
            login: input.login,
            display_name: input.display_name,
            password: input.password,
            organisation: input.organisation,
            tax_id: input.tax_id,
            contact: input.contact,
        };
        Ok(self.client.clone().register(request(msg, ctx)).await.map_err(error_from)?.into_inner().account_id)
    }

    async fn employer_requests_pending(&self, ctx: &CallCtx) -> ApiResult<Vec<EmployerRequestView>> {
        let r = self
            .client
            .clone()
            .employer_requests_pending(request(pb::Empty {}, ctx))
            .await
            .map_err(error_from)?
            .into_inner();
        Ok(r.requests
            .into_iter()
            .map(|v| EmployerRequestView {
                account_id: v.account_id,
                login: v.login,
                display_name: v.display_name,
                organisation: v.organisation,
                tax_id: v.tax_id,
                contact: v.contact,
                created_at_ms: v.created_at_ms,
                state: v.state,
            })
            .collect())
    }

    async fn employer_request_decide(
        &self,
        ctx: &CallCtx,
        account_id: &str,
        verify: bool,
        reason: &str,
    ) -> ApiResult<()> {
        let msg = pb::EmployerDecision { account_id: account_id.to_owned(), verify, reason: reason.to_owned() };
        self.client.clone().employer_request_decide(request(msg, ctx)).await.map_err(error_from)?;
        Ok(())
    }

    async fn employer_request_state(&self, ctx: &CallCtx) -> ApiResult<Option<String>> {
        let r = self
            .client
            .clone()
            .employer_request_state(request(pb::Empty {}, ctx))
            .await
            .map_err(error_from)?
            .into_inner();
        Ok(opt(r.state))
    }

    async fn email_set(&self, ctx: &CallCtx, email: &str) -> ApiResult<()> {
        self.client
            .clone()
            .email_set(request(pb::EmailRequest { email: email.to_owned() }, ctx))
            .await
            .map_err(error_from)?;
        Ok(())
    }

    async fn email_verify(&self, ctx: &CallCtx, token: &str) -> ApiResult<()> {
        self.client
            .clone()
            .email_verify(request(pb::TokenRequest { token: token.to_owned() }, ctx))
            .await
            .map_err(error_from)?;
        Ok(())
    }

    async fn reset_request(&self, ctx: &CallCtx, login: &str) -> ApiResult<()> {
        self.client
            .clone()
            .reset_request(request(pb::ResetRequestMessage { login: login.to_owned() }, ctx))
            .await
            .map_err(error_from)?;
        Ok(())
    }

    async fn reset_complete(&self, ctx: &CallCtx, token: &str, new_password: &str) -> ApiResult<()> {
        let msg = pb::ResetCompleteRequest { token: token.to_owned(), new_password: new_password.to_owned() };
        self.client.clone().reset_complete(request(msg, ctx)).await.map_err(error_from)?;
        Ok(())
    }

    async fn verification_keys(&self) -> ApiResult<Vec<(String, [u8; 32])>> {
        let r = self
            .client
            .clone()
            .verification_keys(request(pb::VerificationKeysRequest {}, &CallCtx::anonymous()))
            .await
            .map_err(error_from)?
            .into_inner();
        r.keys
            .into_iter()
            .map(|k| {
                let pk: [u8; 32] = k.public_key.as_slice().try_into().map_err(|_| ApiError::internal())?;
                Ok((k.kid, pk))
            })
            .collect()
    }
}
