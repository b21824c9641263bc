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
roster-file-too-many-cells = The table has too many rows or columns (at most 100,000 rows and 64 columns); remove the cells far outside the table.
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
import-file_too_many_cells = The table has too many rows or columns (at most 100,000 rows and 64 columns); remove the cells far outside the table.
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

## Curricula and state standards (issue 5)

level-bachelor = Bachelor
level-master = Master
level-specialist = Specialist
level-phd = Doctorate (PhD)
form-full_time = Full-time
form-part_time = Part-time
form-evening = Evening
form-distance = Distance
filter-apply = Show
cell-label = { $column }, line { $row }
col-assessment = Assessment
col-block = Block
col-choice-group = Choice group
col-component = Component
col-contact-hours = Contact hours
col-course = Course
col-credits = Credits
col-delete = Remove
col-hours = Hours
col-independent = Independent study
col-independent-short = Ind.
col-intake = Intake year
col-kind = Kind
col-labs = Laboratory work
col-labs-short = Lab.
col-lectures = Lectures
col-lectures-short = Lec.
col-limits = Credits allowed
col-mandatory = Mandatory
col-max-credits = Most credits
col-min-credits = Least credits
col-name-en = Name (English)
col-name-ky = Name (Kyrgyz)
col-name-ru = Name (Russian)
col-note = Note
col-practicals = Practicals and seminars
col-practicals-short = Pr.
col-prerequisites = Prerequisites
col-programme = Programme
col-recommended = Recommended credits
col-semester = Semester
col-semester-short = Sem.
col-semesters = Semesters
col-since = Since
col-total = Total
col-valid-from = In force from
col-weekly = Hours a week
assessment-exam = Exam
assessment-credit_test = Credit test
assessment-coursework = Coursework
assessment-state_exam = State exam
assessment-thesis = Thesis defence
component-state = State component
component-institution = Institution's component
component-state-short = state
block-kind-general = General education
block-kind-science = Mathematics and natural sciences
block-kind-professional = Professional
block-kind-physical = Physical education
block-kind-internship = Internships
block-kind-research = Research
block-kind-final_attestation = Final state attestation
severity-error = Error
severity-warning = Warning
stat-curricula = curricula
stat-with-errors = break their standard
stat-without-approved = programmes of { $count } without an approved curriculum
chart-weekly-load = Hours a week per semester
chart-weekly-load-hint = (the line is the standard's limit of { $max } hours; a semester is { $weeks } weeks)
chart-curricula-status = Curricula by status
chart-rules-broken = Rules broken most often (curricula)
chart-compare-credits = Credits per block
chart-compare-contact = Contact hours per block (lectures, practicals, laboratory work)

standards-title = State educational standards
standards-lead = Every programme's curriculum is held to the state educational standard of its specialty and level in force when its students are admitted: the credits in total and per block, the mandatory courses, the loads and the share of the state component.
standards-caption = { $count ->
    [one] { $count } standard
   *[other] { $count } standards
}
standard-valid-from = in force from { $date }
standard-new = Record a standard
standard-edit = Change the standard
standard-new-version = Record a new version of this standard
standard-facts = The standard
standard-blocks = Blocks and their credits
standard-courses = Mandatory courses
standard-courses-hint = National courses (codes GE-…) need no name: the national catalogue names them. A course's block must be one of the blocks above.
standard-hours-per-credit = { $hours } hours a credit
standard-hours-per-credit-label = Hours in one credit
standard-weeks = { $weeks } weeks each
standard-weeks-label = Weeks in a semester
standard-max-weekly = Most hours a week
standard-state-share = Least share of the state component, %
standard-in-use = Held to by approved curricula
standard-in-use-yes = yes: it no longer changes
standard-in-use-no = not yet
standard-title-ky = Title (Kyrgyz)
standard-title-ru = Title (Russian)
standard-title-en = Title (English)
error-standard-not-found = There is no such standard.
national-courses-title = National catalogue of general-education courses
national-courses-lead = Curricula use these courses by their code, so that the same course is named and counted the same way at every university.
national-course-form = Add or change a national course
national-course-code-hint = GE- followed by letters, e.g. GE-MANAS. A code that exists is changed.
national-course-saved = { $code } is saved; curricula that use it were checked again.

curricula-title = Curricula
curricula-title-institution = Curricula of { $name }
curricula-lead = Each programme has a curriculum for each intake year. A draft is checked on every save; a compliant one is submitted for approval; an approved one never changes, and a change is a new version.
curricula-caption = { $count ->
    [one] { $count } programme by intake year
   *[other] { $count } programmes by intake year
}
curricula-new-heading = Start a curriculum
curricula-copy-from = Start from
curricula-copy-none = an empty plan
curricula-copy-hint = Copying an approved plan (of another year or programme) is the quickest start; the copy is a new draft.
curricula-new-button = Start the draft
curricula-back = All curricula of the university
curricula-missing = without an approved curriculum
curricula-national-title = Curricula: national compliance
curricula-national-lead = Every curriculum of intake year { $year } checked against the standard in force for it.
curricula-by-institution = By university
curricula-queue = { $count ->
    [one] { $count } curriculum awaits approval
   *[other] { $count } curricula await approval
}
curricula-queue-empty = No curriculum awaits approval.
curricula-failing = { $count ->
    [one] { $count } curriculum breaks its standard
   *[other] { $count } curricula break their standard
}
curricula-failing-none = No curriculum breaks its standard.
curricula-programme-heading = Curricula
curricula-programme-none = No approved curriculum is published for this programme yet.
curricula-programme-intake = Students admitted in { $year }
recheck-button = Check every curriculum again
recheck-last = last checked { $date } UTC
recheck-done = { $curricula } curricula checked in { $seconds } s: { $changed } with a changed result, { $errors } breaking their standard.
delegations-title = Approval by the universities
delegations-lead = The ministry may delegate the approval of a university's curricula to the university's admin (for example to universities with special status). The person who submitted a curriculum never approves it.
delegation-form = Delegate or withdraw
delegation-saved = Saved for { $name }.
delegated-yes = approves its own curricula
delegated-no = the ministry approves

curriculum-title = Curriculum: { $specialty }, intake { $year }
curriculum-edit-title = Editing the curriculum: { $specialty }, intake { $year }
curriculum-status-draft = draft
curriculum-status-submitted = submitted
curriculum-status-approved = approved
curriculum-status-superseded = superseded
curriculum-errors = { $count ->
    [one] { $count } error
   *[other] { $count } errors
}
curriculum-warnings = { $count ->
    [one] { $count } warning
   *[other] { $count } warnings
}
curriculum-compliant = keeps its standard
curriculum-no-findings = The plan keeps every rule of its standard.
curriculum-lines = lines
curriculum-approved-on = Approved on
curriculum-fingerprint = Fingerprint (SHA-256)
curriculum-returned-note = Returned with the note
curriculum-standard = Held to the standard
curriculum-programme-page = The programme
curriculum-edit = Edit the draft
curriculum-view = The curriculum
curriculum-submit = Submit for approval
curriculum-submit-hint = A plan with errors cannot be submitted; warnings do not stop it.
curriculum-new-version = Start a new version
curriculum-decide-heading = Approve or return
curriculum-decide-note = Note to the university
curriculum-decide-hint = Needed when returning: say what to mend.
curriculum-approve = Approve
curriculum-return = Return to the university
curriculum-compliance-heading = Compliance with the standard
curriculum-checked-against-current = Checked against the standard in force now; it was approved under the standard named above.
curriculum-blocks-caption = Credits per block
curriculum-plan-heading = The plan by semester
curriculum-semester = Semester { $semester }
curriculum-credits = { $credits } credits
curriculum-choice = choice { $group }
curriculum-versions = Versions
curriculum-figures = Credits per block and the weekly load
curriculum-edit-hint = One line is one course in one semester (a course over two semesters has two lines). Leave a line empty to skip it; tick Remove to delete it. National courses (GE-…) are named by the catalogue. Credits may have one decimal (4.5). Every save is checked at once and nothing is lost: a stale or wrong save changes nothing.
curriculum-save = Save and check
curriculum-saved = Saved and checked.
curriculum-more-rows = Add 20 empty lines
curriculum-file-heading = The whole plan as a spreadsheet
curriculum-import-label = Plan file (CSV or XLSX)
curriculum-import-hint = The first row names the columns, in any order; the file replaces every line of the draft, or, when a row is wrong, nothing. Columns:
curriculum-import-button = Check and replace the plan
curriculum-discard = Discard the draft
curriculum-discard-confirm = Yes, discard this draft
curriculum-rows-refused = { $count ->
    [one] { $count } problem in the lines below. Nothing was saved.
   *[other] { $count } problems in the lines below. Nothing was saved.
}
curriculum-file-refused = { $count ->
    [one] { $count } problem in the file. Nothing was changed.
   *[other] { $count } problems in the file. Nothing was changed.
}
error-curriculum-not-found = There is no such curriculum, or it is not public.

curriculum-row-semester_range = The semester is a number from 1 to 20.
curriculum-row-code_format = A course code starts with a letter and has letters, digits, - . _ (at most 24).
curriculum-row-name_required = Give the course's name in at least one language.
curriculum-row-too_long = The text is too long.
curriculum-row-block_code = Give the block: a code of a block of the standard.
curriculum-row-credits_range = Credits are from 0 to 60 a line.
curriculum-row-credits_number = Credits are a number like 4 or 4.5.
curriculum-row-hours_range = Hours are from 0 to 3000.
curriculum-row-number = Write a whole number.
curriculum-row-assessment_unknown = Choose the assessment: exam, credit test, coursework, state exam or thesis defence.
curriculum-row-component_unknown = The component is state or institution.
curriculum-row-prerequisite_format = Prerequisites are course codes separated by spaces.
curriculum-row-prerequisite_self = A course cannot be its own prerequisite.
curriculum-row-choice_group_format = A choice group is at most 16 letters or digits.
curriculum-row-duplicate_line = This course is already in this semester.
curriculum-row-too_many_lines = The plan has too many lines (at most 600).
curriculum-row-missing_columns = These columns are missing from the first row.
curriculum-row-file_empty = The file is empty.
curriculum-row-file_unreadable = The file cannot be read: save it as CSV (UTF-8) or XLSX.
curriculum-row-file_too_many_cells = The table has too many rows or columns (at most 100,000 rows and 64 columns); remove the cells far outside the table.
curriculum-row-file_not_utf8 = The CSV file is not UTF-8: save it as "CSV UTF-8".
curriculum-row-file_too_large = The file is too large (at most 8 MiB).

curriculum-problem-not_compliant = The plan breaks its standard: mend the errors listed below first.
curriculum-problem-not_draft = Only a draft changes. To change an approved curriculum, start a new version.
curriculum-problem-not_submitted = Only a submitted curriculum is approved or returned.
curriculum-problem-not_approved = A new version starts from the approved curriculum in force.
curriculum-problem-stale_revision = Someone saved this draft after you opened it. Nothing was saved: open it again and repeat your change.
curriculum-problem-open_version_exists = This programme and intake year already have a version in the making: finish or discard it first.
curriculum-problem-four_eyes = You submitted this curriculum, so someone else approves it.
curriculum-problem-note_required = Say what to mend when returning a curriculum.
curriculum-problem-intake_range = The intake year is from 1990 to 2100.
curriculum-problem-programme_unknown = This programme is not known yet; try again in a minute.
curriculum-problem-confirm_required = Tick the box to confirm.
curriculum-problem-standard_in_use = An approved curriculum was held to this standard, so it never changes: record a new version with a later date of entry into force.
curriculum-problem-standard_exists = A standard of this specialty and level with this date already exists: change it instead.
curriculum-problem-standard_key = A standard keeps its specialty and level.
curriculum-problem-specialty_unknown = Choose a specialty of the classifier.
curriculum-problem-blocks_total = The blocks' limits cannot add up to the total credits.
curriculum-problem-block_limits = A block's limits must satisfy 0 ≤ least ≤ most ≤ total credits.
curriculum-problem-block_unknown = A mandatory course names a block the standard does not have.
curriculum-problem-name_required = Give every name.
curriculum-problem-credits_number = Credits are a number like 4 or 4.5.
curriculum-problem-number = Write whole numbers.
curriculum-problem-national_code_format = A national course code is GE- followed by letters, e.g. GE-MANAS.
curriculum-problem-date_format = Write the date as YYYY-MM-DD.
curriculum-problem-specialty_code_format = The specialty code is 6 digits, e.g. 580100.
curriculum-problem-document_no = Name the approving document (at most 120 characters).
curriculum-problem-too_long = A text is too long.
curriculum-problem-credits_range = Credits are out of range.
curriculum-problem-hours_per_credit = A credit is from 10 to 60 hours.
curriculum-problem-semesters_range = From 1 to 20 semesters.
curriculum-problem-weeks_range = A semester is from 10 to 30 weeks.
curriculum-problem-weekly_range = The most hours a week are from 10 to 80.
curriculum-problem-percent_range = The state component is from 0 to 100 %.
curriculum-problem-blocks_count = A standard has from 1 to 20 blocks.
curriculum-problem-block_code = A block code is 1 to 12 letters, digits or -.
curriculum-problem-block_duplicate = A block is listed twice.
curriculum-problem-courses_count = At most 100 mandatory courses.
curriculum-problem-code_format = A course code starts with a letter and has letters, digits, - . _ (at most 24).
curriculum-problem-course_duplicate = A course is listed twice.
curriculum-problem-institution_unknown = There is no such university.

rule-empty = empty plan
rule-no_standard = no standard
rule-total_credits = total credits
rule-block_unknown = unknown block
rule-block_min = block below its minimum
rule-block_max = block above its maximum
rule-mandatory_missing = mandatory course missing
rule-mandatory_credits = mandatory course too small
rule-mandatory_block = mandatory course in the wrong block
rule-mandatory_elective = mandatory course as an elective
rule-mandatory_component = mandatory course outside the state component
rule-semester_range = semester outside the standard
rule-semester_empty = empty semester
rule-semester_credits = semester load
rule-weekly_load = weekly load
rule-hours_credits = hours and credits
rule-state_share = share of the state component
rule-attestation_block = final attestation outside its block
rule-attestation_last = final attestation not last
rule-choice_single = choice with one course
rule-choice_mismatch = unequal alternatives
rule-prerequisite_unknown = unknown prerequisite
rule-prerequisite_order = prerequisite too late
rule-prerequisite_cycle = circular prerequisites
rule-national_unknown = unknown national course
rule-national_credits = national course credits

finding-empty = The plan has no courses yet.
finding-no_standard = No state standard of this specialty and level is in force for this intake year.
finding-total_credits = The plan has { $actual } credits; the standard requires { $required }.
finding-block_unknown = Block { $block } is not a block of the standard.
finding-block_min = Block { $block } ({ $block_name }) has { $actual } credits; the standard requires at least { $min }.
finding-block_max = Block { $block } ({ $block_name }) has { $actual } credits; the standard allows at most { $max }.
finding-mandatory_missing = The mandatory course { $code } ({ $course }, at least { $min } credits, block { $block }) is missing.
finding-mandatory_credits = The mandatory course { $code } ({ $course }) has { $actual } credits; the standard requires at least { $min }.
finding-mandatory_block = The mandatory course { $code } ({ $course }) belongs in block { $block } ({ $block_name }).
finding-mandatory_elective = The mandatory course { $code } ({ $course }) is offered only as an elective alternative.
finding-mandatory_component = The mandatory course { $code } ({ $course }) is part of the state component: mark it so.
finding-semester_range = The standard has { $semesters } semesters; these lines are outside them.
finding-semester_empty = Semester { $semester } has no courses.
finding-semester_credits = Semester { $semester } has { $actual } credits; a semester is normally { $nominal }.
finding-weekly_load = Semester { $semester }: { $hours } hours over { $weeks } weeks is { $weekly } hours a week; the standard allows { $max }.
finding-hours_credits = { $code } ({ $course }): { $hours } hours, but { $credits } credits of { $per_credit } hours are { $expected } hours.
finding-state_share = The state component has { $state } of { $total } credits ({ $share } %); the standard requires at least { $required } %.
finding-attestation_block = { $code } ({ $course }): a state exam or thesis defence belongs in the final state attestation.
finding-attestation_last = { $code } ({ $course }) is in semester { $semester }; the final state attestation is in the last semester ({ $last }).
finding-choice_single = Choice group { $group } of semester { $semester } has only one course: there is nothing to choose.
finding-choice_mismatch = The alternatives of choice group { $group } (semester { $semester }) must have the same credits, hours and block.
finding-prerequisite_unknown = { $code } ({ $course }): the prerequisite { $prerequisite } is not in the plan.
finding-prerequisite_order = { $code } (semester { $semester }) requires { $prerequisite }, which starts only in semester { $prerequisite_semester }.
finding-prerequisite_cycle = Prerequisites go round in a circle: { $cycle }.
finding-national_unknown = { $code } is not in the national catalogue of general-education courses (codes GE- are reserved for it).
finding-national_credits = { $code } ({ $course }) has { $actual } credits; the national catalogue recommends { $recommended }, so that it counts the same everywhere.

compare-curricula-title = Compare curricula of one specialty
compare-curricula-lead = The approved curricula of one specialty and level, university by university: how many credits and hours each gives to each block of the standard.
compare-show = Compare
compare-none = No approved curriculum of this specialty, level and intake year.
compare-caption = { $count ->
    [one] { $count } approved curriculum
   *[other] { $count } approved curricula
}
compare-hours = { $hours } h, { $contact } contact
curriculum-done-submitted = Submitted for approval. It no longer changes unless it is returned.
curriculum-done-approved = Approved: this is now the curriculum in force for the programme and intake year.
curriculum-done-returned = Returned to the university with your note.

# Students and their orders (records)
students-title = Students of { $code }
students-admit-one = Admit a student
students-admit-roster = Admit an intake from a roster
students-search = Name, PIN or student ticket
students-found = { $count ->
    [one] { $count } student
   *[other] { $count } students
}
students-back = The students
students-admit-button = Record and admit
students-count = Students of { $name }: { $count }
col-student = Student
col-ticket = Student ticket
col-group = Group
col-year = Year
col-funding = Funding
col-pin = PIN
funding-grant = State grant
funding-contract = Contract
enrolment-status-active = Studying
enrolment-status-academic_leave = On academic leave
enrolment-status-expelled = Expelled
enrolment-status-graduated = Graduated
enrolment-status-transferred_out = Transferred out
order-kind-admission = Admission
order-kind-group_transfer = Transfer to another group
order-kind-programme_transfer = Transfer to another programme
order-kind-academic_leave = Academic leave
order-kind-return = Return from academic leave
order-kind-expulsion = Expulsion
order-kind-reinstatement = Reinstatement
order-kind-graduation = Graduation
order-legend = The signed order
order-number = Order number
order-signed-on = Signed on
order-effective-on = Takes effect on
order-signatory = Signed by
order-reason = Reason
order-reason-hint = Leave, expulsion and reinstatement say why; the reason is kept with the order for ever.
order-new = Issue an order
order-what = What the order does
order-kind = Kind of order
order-new-programme = New programme
order-new-programme-hint = Only for a transfer to another programme.
order-issue = Issue the order
person-legend = The person, as in the passport
person-pin-hint = 14 digits: 1 (female) or 2 (male), the birth date DDMMYYYY, then 5 digits.
person-pin-exception = No PIN? Say why (a foreign citizen, say)
person-family = Family name
person-given = Given name
person-patronymic = Patronymic
person-birth-date = Birth date
person-sex = Sex
person-sex-from-pin = As in the PIN
sex-female = Female
sex-male = Male
person-citizenship = Citizenship (country code)
person-no-pin = No PIN
person-merged-into = Merged into the record
person-enrolments = Studies
person-orders = Orders
enrolment-since = Since
year-of-study = year { $year }
admission-legend = Where the student is admitted
records-duplicates = A person with these names and birth date is already recorded. If it is the same person, open their record and admit them from there; if not, tick the box below and record anew.
records-confirm-distinct = I have checked: this is a different person
records-person-kept = The person was recorded; open their record to admit them once the problem is fixed.
records-order-done = Done: the order “{ $kind }” is issued and recorded.
records-problem-name_required = Give the family and given names as in the passport, in letters only.
records-problem-name_format = The patronymic has letters only.
records-problem-latin_format = The Latin name has Latin letters only.
records-problem-date_format = Write the dates as YYYY-MM-DD.
records-problem-birth_date_range = The birth date gives an age from 14 to 100: check the year.
records-problem-citizenship_format = Citizenship is a two-letter country code: KG, KZ, UZ, IN…
records-problem-pin_required = Give the PIN, or say why the person has none.
records-problem-sex_required = Without a PIN, say the sex.
records-problem-pin_format = A PIN is 14 digits: 1 or 2, the birth date DDMMYYYY, then 5 digits.
records-problem-pin_birth_date = The birth date differs from the one in the PIN: check both against the passport.
records-problem-pin_sex = The sex differs from the one in the PIN (1 is female, 2 is male).
records-problem-pin_exists = A person with this PIN is already recorded.
records-problem-pin_repeated = The same PIN is in another row of the file.
records-problem-possible_duplicate = A person with these names and birth date is already recorded: admit this row by hand, from their record.
records-problem-person_merged = This record was merged into another: use that one.
records-problem-person_repeated = The same person is twice in the roster.
records-problem-merge_self = A record is not merged into itself.
records-problem-merge_pins_differ = Two different PINs are two people: they are not merged.
records-problem-query_length = Search with 2 to 100 characters: a PIN or the start of a name.
records-problem-order_kind = Choose what the order does.
records-problem-order_number = Give the order's number (at most 40 characters).
records-problem-effective_before_signed = An order takes effect at most a year before it is signed.
records-problem-signatory_required = Name who signed the order.
records-problem-reason_required = This order says why: fill in the reason.
records-problem-too_long = The reason is at most 1000 characters.
records-problem-group_format = Name the study group: at most 24 letters, digits, - / or .
records-problem-funding = Funding is a state grant or a contract.
records-problem-ticket_format = A student ticket is 3 to 32 letters, digits or -.
records-problem-ticket_taken = This student ticket is another student's.
records-problem-ticket_repeated = The same student ticket is in another row of the file.
records-problem-programme_unknown = Choose a programme of the catalogue.
records-problem-programme_other_institution = The programme is another university's.
records-problem-same_programme = Choose a programme other than the current one.
records-problem-intake_range = The intake year is from 1990 to 2100.
records-problem-licence_missing = The programme has no licence: nobody can be admitted to it.
records-problem-licence_not_in_force = The programme's licence is not in force: nobody can be admitted.
records-problem-licence_full = The licence has no free place left for this programme.
records-problem-already_enrolled = The person already studies in this programme.
records-problem-order_not_allowed = This order does not apply to a student in this state.
records-problem-stale_enrolment = The student's record changed meanwhile: open it again and check.
records-problem-roster_size = A roster has from 1 to 10,000 rows.
records-problem-missing_columns = These columns are missing from the first row.
roster-admitted = { $admitted ->
    [one] { $admitted } student admitted
   *[other] { $admitted } students admitted
}, { $known } of them already recorded from earlier studies.
roster-refused = { $count ->
    [one] { $count } problem. Nobody was admitted: fix the file and send it again.
   *[other] { $count } problems. Nobody was admitted: fix the file and send it again.
}
roster-licence-full = Free places under the licence: { $free }.
roster-lead = The whole intake of a programme by one order: every row is checked first, and either everyone is admitted or nobody is.
roster-file = Roster (CSV or XLSX)
roster-columns = Columns (in any order, the first row names them):
roster-template = template
roster-admit-button = Check and admit
error-person-not-found = There is no such person among the records you may see.
