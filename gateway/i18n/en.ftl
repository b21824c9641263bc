# EDU24 portal, English.

site-tagline = Higher education of the Kyrgyz Republic
site-description = EDU24: the public catalogue of universities, programmes and licences of the Kyrgyz Republic.
skip-to-content = Skip to content
nav-label = Main menu
nav-language = Language
nav-catalogue = Universities
nav-me = My page
nav-login = Log in
notice-language-unsupported = The language “{ $asked }” is not available. This page is shown in { $shown }.
footer-ministry = Ministry of Science, Higher Education and Innovation of the Kyrgyz Republic
footer-api = Open data (API)

home-title = Find your university
home-lead = Every licensed university and programme of Kyrgyzstan in one place: licences, levels, forms and languages of study.
home-by-level = Browse by level
search-label = Search by name, city or code
search-placeholder = e.g. Osh, medicine, КНУ, Manas
search-button = Search
stat-institutions = universities
stat-programmes = programmes
stat-licences = licences in force
stat-contingent = licensed places
chart-institutions-by-region = Universities by region
chart-programmes-by-field = Programmes by field of study

catalogue-title = Universities of Kyrgyzstan
filters-label = Search filters
filter-region = Region
filter-ownership = Ownership
filter-level = Level
filter-specialty = Specialty
filter-any = Any
filter-reset = Clear filters
filters-more = { $count ->
    [0] More filters
   *[other] More filters ({ $count } active)
}
search-found = { $count ->
    [one] { $count } institution found
   *[other] { $count } institutions found
}
search-nothing = Nothing matches. Try fewer words or clear the filters.
founded-in = founded { $year }
programme-count = { $count ->
    [one] { $count } programme
   *[other] { $count } programmes
}
special-status = Special status
pager-label = Pages
pager-prev = ← Previous
pager-next = Next →
pager-position = Page { $page } of { $pages }

ownership-state = State
ownership-private = Private
ownership-intergovernmental = Intergovernmental
ownership-unknown = Ownership not confirmed
status-active = Operating
status-merged = Merged into another university
status-suspended = Suspended
status-closed = Closed

fact-status = Status
fact-region = Region
fact-city = City
fact-ownership = Ownership
fact-founded = Founded
fact-website = Website
fact-special-status = Special status
fact-institution = University
fact-credits = Credits
fact-field = Field of education
fact-admission = Admission
admission-barred = Admission in this form is suspended this year
unknown = not known
yes = yes
no = no

programmes-heading = Programmes ({ $count })
programmes-caption = Programmes of the university
programmes-none = No programmes are registered.
licences-heading = Licences ({ $count })
licences-caption = Licences of the university
licences-none = No licences are registered.
col-specialty = Specialty
col-level = Level
col-form = Form of study
col-language = Language
col-duration = Duration
col-licence = Licence
col-contingent = Licensed places
col-valid = Valid
col-document = Document
col-status = Status
valid-indefinite = indefinite
duration-years = { $years ->
    [one] { $years } year
   *[other] { $years } years
}
duration-months = { $months } months
credits = { $credits } credits
licence-active = In force
licence-suspended = Suspended
licence-revoked = Revoked
licence-expired = Expired
licence-not-yet = Not yet in force
licence-none = No licence
licence-summary = No. { $number }, { $contingent } places, since { $from }
programme-more-soon = Fees, places on grant and contract, passing scores and graduates’ outcomes are not yet known for this programme.

language-ky = Kyrgyz
language-ru = Russian
language-en = English
language-tr = Turkish
language-de = German
language-zh = Chinese

login-title = Log in to EDU24
login-login = Login
login-password = Password
login-submit = Log in
login-help = Students and teachers: your login and first password are on the card from your university. Lost it? Your university’s registrar office issues a new one.
login-refused = Wrong login or password.
login-throttled = Too many failed attempts. Try again in { $seconds } seconds.
logout = Log out

me-title = Hello, { $name }
me-login = Login
me-since = Account since
me-roles = Your roles
me-no-roles = You have no roles yet.
role-ministry_admin = Ministry administrator
role-ministry_analyst = Ministry analyst
role-institution_admin = University administrator
role-registrar = Registrar
role-teacher = Teacher
role-student = Student
role-graduate = Graduate
role-employer = Employer
role-applicant = Applicant
scope-ministry = The whole ministry
scope-personal = Personal
scope-institution = University

error-home = Home
error-not-found = Page not found
error-not-found-detail = There is no such page. It may have moved; try the catalogue.
error-institution-not-found = There is no university with this address in the catalogue.
error-programme-not-found = There is no programme with this address in the catalogue.
error-bad-request = The request cannot be understood
error-forbidden = Not allowed
error-csrf = The form expired or came from another site. Open the page again and resubmit.
error-internal = Something went wrong
error-internal-detail = The error was recorded. Please try again in a minute.
error-unavailable = Temporarily unavailable
error-unavailable-detail = A part of EDU24 is not answering right now. Please try again in a minute.
param-too-long = The address is too long.
param-malformed = The address contains characters that cannot be read.
param-number = “{ $parameter }” must be a whole number within its limits.
param-text-long = The search text is too long (at most 200 characters).
param-region = “{ $parameter }” is not a known region.
param-ownership = “{ $parameter }” must be state, private or intergovernmental.
param-level = “{ $parameter }” must be bachelor, master, specialist or PhD.
param-specialty = “{ $parameter }” must be a 6-digit specialty code.

## Own security and account administration (identity and access)
security-title = Security of my account
password-title = Change password
accounts-title = Accounts
password-forced = You signed in with a one-time password from a card. Choose your own password to continue.
password-current = Current password (or the one from your card)
password-new = New password
password-rules = At least 15 characters. A few unrelated words are easiest to remember, e.g. “mountain river green teapot”. Do not use your login or name.
password-repeat = New password again
password-submit = Save the new password
password-mismatch = The two new passwords differ. Type the same password twice.
password-current-wrong = The current password is wrong.
password-too-short = The new password is too short: use at least 15 characters.
password-too-long = The new password is too long: use at most 128 characters.
password-contains-login = The new password must not contain your login or name.
password-guessable = This password is too easy to guess. Use a few unrelated words.
password-same = The new password must differ from the current one.
password-rejected = The new password cannot be used. Choose another.
sessions-title = Where you are signed in
sessions-lead = Each line is a browser or device signed in to your account. End any session you do not recognise, then change your password.
sessions-device = Browser or device
sessions-address = Address
sessions-started = Signed in
sessions-seen = Last active
sessions-action = Action
sessions-this = This device
sessions-end = End this session
access-title = Who looked at or changed your account
access-lead = Every sign-in, change and view of your account by university or ministry staff is recorded here and cannot be altered.
access-none = Nothing has been recorded yet.
access-when = When
access-who = Who
access-what = What
audit-account-created = Account created
audit-role-granted = Role granted
audit-role-removed = Role removed
audit-login-failed = Failed sign-in
audit-login-succeeded = Signed in
audit-logout = Signed out
audit-password-changed = Password changed
audit-password-reissued = New password card issued
audit-session-ended = Session ended
audit-sessions-ended = All sessions ended
audit-account-viewed = Account viewed by staff
audit-account-disabled = Account disabled
audit-account-enabled = Account enabled
done-password = Your new password is saved. Other sessions were ended.
done-session = The session was ended.
done-disabled = The account is disabled and all its sessions have ended.
done-enabled = The account is enabled again.
done-sessions = All sessions of the account were ended.
done-role = The role was granted.
accounts-search = Name, login, PIN or student ticket number
accounts-lead = Find a student or colleague to issue a new password card, end their sessions or change their roles.
accounts-none = No account you administer matches.
accounts-query-short = Type at least 2 characters.
account-disabled = Disabled
account-active = Active
account-one-time = One-time password not yet changed
account-ticket = Student ticket
account-programme = Programme
account-year = year { $year }
reissue-title = Issue a new password card
reissue-lead = The old password stops working at once and every session ends. Print the card and hand it to the person after checking their student ticket or passport.
reissue-submit = Issue and print the card
disable-title = Disable the account
enable-title = Enable the account
disable-submit = Disable the account
enable-submit = Enable the account
end-sessions-title = End all sessions
end-sessions-submit = { $count ->
    [one] End { $count } session
   *[other] End { $count } sessions
}
role-grant-title = Grant a role
role-grant-role = Role and university
role-grant-submit = Grant the role
reason-label = Reason (kept in the audit log)
reason-note = Comment (optional)
reason-lost-card = Lost card
reason-forgot = Forgot the password
reason-compromised = Password may be known to someone else
reason-left = Left the university
reason-other = Other
reason-missing = Give a reason; it is kept in the audit log.
role-invalid = Choose a role from the list.
error-account-not-found = There is no such account among those you administer.
error-bad-request-detail = Something in the form is not right. Go back, check it and try again.
error-forbidden-detail = Your account has no role that allows this page.
error-too-many = Too many requests
error-too-many-detail = Please wait a little and try again.

## Accounts issued in bulk from a roster
issuance-title = Issue accounts from a roster
issuance-lead = Upload the list of students (CSV or Excel). EDU24 checks every row first; if any row has a problem, nothing is issued and each problem is listed. Then you print the password cards.
issuance-institution = University
issuance-file = Roster file (CSV or XLSX)
issuance-columns = Columns: PIN, surname, given name, patronymic (optional), student ticket number, programme, year of study. Headers may be in Kyrgyz, Russian or English.
issuance-template = Download a template
issuance-check = Check the roster
issuance-recent = Recent issuances
issuance-progress = { $done } of { $total } accounts issued
issuance-state-running = Issuing
issuance-state-done = Ready to print
issuance-state-closed = Closed
issuance-preview = Roster check
roster-problems = { $count ->
    [one] Nothing was issued: { $count } problem must be fixed first.
   *[other] Nothing was issued: { $count } problems must be fixed first.
}
roster-row = Row
roster-column = Column
roster-problem = Problem
roster-col-pin = PIN
roster-col-surname = Surname
roster-col-given-name = Given name
roster-col-patronymic = Patronymic
roster-col-ticket-no = Student ticket
roster-col-programme = Programme
roster-col-year = Year of study
roster-file-too-large = The file is larger than 8 MB.
roster-file-unreadable = The file cannot be read as CSV or XLSX.
roster-file-empty = The file has no rows.
roster-file-not-utf8 = Save the CSV file in UTF-8 encoding.
roster-too-many-rows = A roster may have at most 20,000 rows; split it.
roster-column-missing = This column is missing from the header row.
roster-pin-invalid = A PIN has 14 digits: 1 or 2, the birth date (DDMMYYYY), then 5 digits.
roster-name-invalid = Use letters, spaces, hyphens or apostrophes (1 to 100).
roster-ticket-invalid = Use 3 to 32 Latin letters, digits or hyphens.
roster-programme-invalid = Name the programme (at most 200 characters).
roster-year-invalid = The year of study is a number from 1 to 7.
roster-ticket-repeated = The same student ticket as row { $row }.
roster-pin-repeated = The same PIN as row { $row }.
roster-ticket-taken = This student ticket belongs to another person at this university.
roster-pin-other-ticket = This person already has an account here under another student ticket.
roster-login-taken = An account with this login already exists.
issuance-nothing-new = Everyone in this roster already has an account ({ $already }). Nothing to issue.
issuance-rows = rows
issuance-new = new accounts
issuance-already = already have an account
issuance-sample = How the cards will look
issuance-password-on-card = One-time password
issuance-confirm-lead = { $count ->
    [one] { $count } account will be issued. Each password appears only on its printed card.
   *[other] { $count } accounts will be issued. Each password appears only on its printed card.
}
issuance-confirm = Issue the accounts
issuance-stale = The roster no longer matches the accounts (someone issued them meanwhile). Upload it again.
issuance-running = Issuing… This page refreshes by itself. You may close it: issuing goes on.
issuance-done = All accounts are issued. Download and print the cards, hand them out, then close the issuance.
issuance-download = Download the cards (PDF)
issuance-close-lead = Closing erases what the passwords are made from: the cards can never be printed again. Lost cards are then re-issued one by one.
issuance-close = Close the issuance
issuance-closed = This issuance is closed: its cards can no longer be printed.

## Two-step sign-in
twofa-title = Two-step sign-in
twofa-login-title = Enter your code
twofa-code = Six-digit code from the app
twofa-code-help = Open your authenticator app and type the code shown for EDU24. Lost your phone? Type one of your recovery codes instead.
twofa-continue = Continue
twofa-wrong = The code is wrong or was already used. Wait for the next code and try again.
twofa-wrong-setup = The code does not match. Check the time on your phone and try again with the next code.
twofa-on = Two-step sign-in is on: after your password, EDU24 asks for a code from your app.
twofa-code-or-recovery = A code from the app, or a recovery code
twofa-disable = Turn two-step sign-in off
twofa-lead = With two-step sign-in, a stolen password alone cannot open your account. University and ministry staff should turn it on.
twofa-step-app = Install an authenticator app on your phone (for example FreeOTP, Aegis, Google Authenticator or Microsoft Authenticator).
twofa-step-scan = In the app, add an account and scan this code.
twofa-manual = Or type this key:
twofa-step-code = Type the six-digit code the app shows.
twofa-enable = Turn two-step sign-in on
twofa-enabled = Two-step sign-in is on.
twofa-recovery-title = Your recovery codes
twofa-recovery-lead = Each code lets you in once if you lose your phone. Print them or write them down and keep them safe: they are shown only now.
issuance-skipped = { $count ->
    [one] { $count } row was set aside: its login was taken by another account meanwhile. Check it and issue it again.
   *[other] { $count } rows were set aside: their logins were taken by other accounts meanwhile. Check them and issue them again.
}
twofa-due = Your role needs two-step sign-in. Set it up by { $date }; after that date only the set-up page will open.
twofa-overdue = Your role needs two-step sign-in: set it up to continue.

## Access requests of students enrolled before EDU24
request-link = Studied here before EDU24 and have no card? Ask for access.
request-title = Ask for access to EDU24
request-lead = If you were enrolled before your university joined EDU24, fill in this form. The registrar’s office checks it against your student ticket and gives you a password card.
request-choose = Choose your university.
request-contact = Telephone or e-mail
request-contact-invalid = Give a telephone number or an e-mail address so the registrar’s office can call you in.
request-submit = Send the request
request-sent = Your request was sent. The registrar’s office of your university will contact you; bring your student ticket to receive your password card.
request-pending = A request with this student ticket is already waiting for the registrar’s office.
requests-title = Access requests
requests-lead = Students enrolled before EDU24 ask for access. Check each against your records; approving issues the account and prints its card at once.
requests-none = No requests are waiting.
requests-default-reason = Checked against the student ticket
requests-approve = Approve and print the card
requests-reject = Reject
requests-conflict = This request was already decided, or an account with this student ticket exists.
account-new-title = Create an account
account-new-lead = For a new colleague or a single student. The account gets the role you choose and a one-time password printed on a card.
account-new-name = Full name
account-new-submit = Create and print the card
account-new-login-invalid = A login has 3 to 64 Latin letters, digits, dots, hyphens or underscores.
account-new-name-invalid = Write the person’s full name.

## Self-registration and employer verification
register-link = New here? Register as an applicant or an employer.
register-title = Register
register-lead = Applicants can use their account at once. Employers are verified by the ministry before they can see anything about students.
register-kind = I am
register-employer-fields = For employers
register-organisation = Organisation
register-tax-id = Tax number (ИНН, 14 digits)
register-tax-id-invalid = A tax number (ИНН) has 14 digits.
register-organisation-invalid = Name the organisation (at most 300 characters).
register-submit = Register
register-done-applicant = Your account is ready. Log in with your login and password.
register-done-employer = Your account is created. The ministry verifies employers; until then you can log in, but see nothing about students.
employer-pending = The ministry has not yet verified your organisation.
employer-rejected = The ministry did not verify your organisation. Contact the ministry for the reason.
employers-title = Employers to verify
employers-lead = Check each organisation (tax number, contact) before it can see anything about students.
employers-default-reason = Checked in the register of legal entities
employers-verify = Verify the employer

## E-mail and password reset
email-title = E-mail for password reset
email-lead = With a confirmed address you can reset a forgotten password yourself, by a link that works once and expires in 30 minutes.
email-address = E-mail address
email-save = Save and send a confirmation link
email-confirmed = confirmed
email-unconfirmed = waiting for confirmation
email-invalid = Write an e-mail address such as name@example.kg.
email-verified = Your e-mail address is confirmed.
done-email = We sent a confirmation link to the address. Open it within 24 hours.
link-invalid = This link is wrong, was already used or has expired. Ask for a new one.
reset-link = Forgot your password?
reset-title = Reset the password
reset-lead = Type your login. If your account has a confirmed e-mail address, we send a link to set a new password. Students without one: the registrar’s office issues a new card.
reset-send = Send the link
reset-sent = If this login has a confirmed e-mail address, a link is on its way. It works once, for 30 minutes.
reset-done = Your new password is saved and every session was ended. Log in with the new password.
audit-email-set = E-mail address set
audit-email-verified = E-mail address confirmed
audit-password-reset-requested = Password reset link sent
audit-password-reset = Password reset by e-mail link
audit-other = Other change
audit-login-second_factor_required = Password accepted, code asked
audit-login-second_factor_failed = Wrong sign-in code
audit-second_factor-enabled = Two-step sign-in turned on
audit-second_factor-disabled = Two-step sign-in turned off
audit-account-issued = Account issued
audit-account-registered = Account registered
audit-employer-verified = Employer verified by the ministry
audit-employer-rejected = Employer not verified by the ministry

## Issue 4: programmes, comparison, licensing, classifier, open data
nav-programmes = Programmes
programmes-title = Find a programme
programme-search-label = Specialty, university or city
programme-search-placeholder = e.g. economics Osh
programmes-found = { $count ->
    [one] { $count } programme found
   *[other] { $count } programmes found
}
search-link = Link to this search
filter-field = Field of study
filter-city = City
filter-language = Language of instruction
filter-form = Form of study
filter-fee = Yearly fee, som
filter-fee-min = From
filter-fee-max = To
filter-grant = Only with grant places
filter-accredited = Only accredited
sort-label = Sort by
sort-name = Name
sort-fee_asc = Fee, lowest first
sort-fee_desc = Fee, highest first
sort-score_desc = Passing score, highest first
sort-grant_desc = Grant places, most first
fee-per-year = { $fee } som a year
not-yet-known = Not yet known
passing-score = Passing score { $score }
passing-score-in = { $score } (admission { $year })
places-summary = { $grant } on grants, { $contract } on contract
outcomes-heading = Graduates
outcomes-employed = { $percent }% of { $graduates } graduates of { $year } are employed
outcomes-too-few = Fewer than 5 graduates: not published, to protect their privacy
admission-heading = Admission { $year }
fact-places = Places
fact-fee-citizen = Fee for citizens
fact-fee-foreign = Fee for foreign citizens
fact-passing-score = Last year's passing ORT score
fact-outcomes = Graduate outcomes
fact-accreditation = Accreditation
fact-address = Address
fact-phone = Phone
fact-email = E-mail
fact-rector = Rector
fact-languages = Languages of instruction
accredited = Accredited
not-accredited = Not accredited
accreditation-accredited = Accredited
accreditation-conditional = Accredited with conditions
accreditation-denied = Refused
accreditation-withdrawn = Withdrawn
accreditation-institution = institution, by { $agency }, until { $to }
accreditation-programme = programme, by { $agency }, until { $to }
compare-pick = Compare
compare-button = Compare the chosen (up to { $max })
compare-title = Programmes side by side
compare-how-many = Choose from 1 to { $max } programmes to compare; { $count } were chosen.
compare-start = Compare with others
programme-same-elsewhere = The same specialty at other universities
logo-of = Logo of { $name }
photo-of = Photo of { $name }
language-uz = Uzbek
language-ar = Arabic
language-fr = French
language-ko = Korean
language-ja = Japanese
framework-title = Classifier of specialties
framework-as-of = Classifier as of
framework-show = Show
framework-today = Today
framework-count = { $count } entries recorded as of { $date }
col-code = Code
col-barred = Admission barred
col-version = Version
col-recorded = Recorded
col-fill = Filled
col-row = Row
col-column = Column
col-problem = What to fix
unverified = not verified
not-valid-on-date = not valid on this date
history-caption = Every recorded version, newest first
download-csv = Download CSV
download-xlsx = Download Excel (XLSX)
licensing-title = Licences: live control
licensing-title-institution = Licences of { $name }
licensing-live = Live figures for { $date }: enrolments and held places count at once.
licensing-own = Licences of my institution
licensing-all-clear = No licence is near its cap, none expires within 90 days, and every programme is licensed.
licensing-near-full = Licences filled 90% or more
licensing-near-full-caption = Fullest first
licensing-expiring = Licences expiring within 90 days
licensing-expiring-caption = Soonest first
licensing-unlicensed = Programmes without a licence in force
licensing-unlicensed-caption = Programmes taught with no valid licence
stat-enrolled = students counted
stat-full = licences at 100%
chart-fill-bands = Licences by how full they are
chart-expiring-by-month = Licences expiring, by month
fill-band-low = under 50%
fill-band-mid = 50–89%
fill-band-high = 90–99%
fill-band-full = 100% and over
fill-detail = ({ $enrolled } enrolled, { $held } held, of { $contingent })
alerts-heading = Licence alerts for { $name }
alert-full = { $count ->
    [one] { $count } licence is full
   *[other] { $count } licences are full
}
alert-near-full = { $count ->
    [one] { $count } licence is 90% full or more
   *[other] { $count } licences are 90% full or more
}
alert-expiring = { $count ->
    [one] { $count } licence expires within 90 days
   *[other] { $count } licences expire within 90 days
}
alert-unlicensed = { $count ->
    [one] { $count } programme has no licence in force
   *[other] { $count } programmes have no licence in force
}
alerts-open = Open the licences
framework-admin-title = Manage the classifier
framework-admin-lead = Upload the classifier as CSV or Excel. Every row is checked first: if any row is wrong, nothing is changed and each wrong row is listed. Every change is kept as a new version.
import-file-label = Classifier file (CSV or XLSX)
import-file-hint = Columns (in any order, the first row names them):
import-button = Check and import
import-done = Imported: { $changed } changed, { $unchanged } unchanged.
import-refused = { $count ->
    [one] { $count } row is wrong. Nothing was imported.
   *[other] { $count } rows are wrong. Nothing was imported.
}
import-errors-caption = Rows to fix
import-file-too-large = The file is too large (at most 8 MiB).
import-file_too_large = The file is too large (at most 8 MiB).
import-file_unreadable = The file cannot be read: save it as CSV (UTF-8) or XLSX.
import-file_empty = The file is empty.
import-file_not_utf8 = The CSV file is not UTF-8: save it as "CSV UTF-8".
import-missing_columns = These columns are missing from the first row.
open-data-title = Open data
open-data-lead = The public catalogue, free to download and reuse: every institution, programme and licence. Figures about fewer than 5 people are not published.
open-data-institutions = Institutions
open-data-programmes = Programmes
open-data-licences = Licences
open-data-licence = Updated continuously. Also as JSON through the API, with paging and ETags.
institution-admin-link = Manage { $name }
institution-admin-title = { $name }: profile and programmes
public-page = Public page
profile-heading = Profile
field-name = Name
field-address = Address
field-phone = Phone
field-email = E-mail
field-rector = Rector
field-founded = Founding year
field-website = Website
field-languages = Languages of instruction
field-reason = Reason
field-agency = Agency
field-result = Result
field-valid_from = Valid from
field-valid_to = Valid until (empty: indefinite)
field-duration_months = Duration, months
field-admission_year = Admission year
field-grant_places = Grant places
field-contract_places = Contract places
field-specialty_code = Specialty
field-form = Form of study
field-language = Language
field-contingent = Licensed contingent
field-document_no = Document number
field-credits = Credits
field-fee_citizen = Fee for citizens
field-fee_foreign = Fee for foreign citizens
field-image = Image
field-isced_f_broad = ISCED-F field
field-code = Code
images-heading = Logo and photos
image-kind = The image is
image-file = Image file
image-hint = PNG, JPEG or WebP, at most 2 MiB, from 16 to 8000 pixels on each side.
logo = Logo
photo = Photo
upload = Upload
remove = Remove
save = Save
saved = Saved.
back = Back
programme-add = Add a programme
programme-edit = Change the programme
programme-results-hint = Passing scores and graduate outcomes come from admissions and graduate surveys; they cannot be typed in here.
licence-add = Grant a licence
licence-edit = Change the licence
licence-status-active = In force
licence-status-suspended = Suspended
licence-status-revoked = Revoked
reason-hint = Required when the licence is suspended or revoked; shown to the public.
accreditation-add = Record an accreditation decision
accreditation-of = Accreditation of
accreditation-whole = The whole institution
ministry-owns = Licences and accreditation are recorded by the ministry; they are shown here read-only.
problem-image_too_large = The image is larger than 2 MiB.
problem-image_type = The file is not a PNG, JPEG or WebP image.
problem-image_dimensions = The image must be from 16 to 8000 pixels on each side.
problem-too_many_photos = There are already 12 photos: remove one first.
problem-programme_exists = The institution already has a programme with this specialty, level, form and language.
param-date = The date must look like 2025-09-01 ({ $parameter }).
param-fee = A fee must be a whole number of som from 0 ({ $parameter }).
param-fee-range = The highest fee is below the lowest ({ $parameter }).
param-field = Choose a field of study from the list ({ $parameter }).
param-form = Choose a form of study from the list ({ $parameter }).
param-language = Choose a language from the list ({ $parameter }).
param-sort = Choose an order from the list ({ $parameter }).
entry-heading = Add or change one entry
entry-hint = Saved as a new version of the entry, with the same checks as an import.
entry-verified = Checked against a public source
entry-edit = Change this entry (ministry)
problem-field = Check the field “{ $field }”.
