"""The fixed parts of the demo data set: who the people are, what the clients hire for, and the
words the generated pipeline is made of. ``partnership.demo`` builds the data from these."""

from __future__ import annotations

from dataclasses import dataclass

from accounts.models import User
from engagements.models import Requisition

PROVIDER_ADMIN = "admin@talentbridge.example"  # opens the engagements

# Every demo login uses this password; the README and the command's output quote this constant.
DEMO_PASSWORD = "portal-demo-2026"
PROVIDER_TIME_ZONE = "America/Chicago"


@dataclass(frozen=True)
class DemoPerson:
    email: str
    full_name: str
    role: str
    organization: str  # "provider" or a client key
    time_zone: str
    shows: str  # what this login is good for, printed in the logins table
    digest: bool = False
    superuser: bool = False


PEOPLE = (
    DemoPerson(
        "admin@talentbridge.example",
        "Priya Raman",
        User.Role.PROVIDER_ADMIN,
        "provider",
        "America/Chicago",
        "everything of the provider, and the Django admin",
        superuser=True,
    ),
    DemoPerson(
        "am@talentbridge.example",
        "Marcus Bell",
        User.Role.ACCOUNT_MANAGER,
        "provider",
        "America/New_York",
        "both partnerships: scorecards, issues and wins, overdue items, coverage",
    ),
    DemoPerson(
        "recruiter@talentbridge.example",
        "Rita Alvarez",
        User.Role.RECRUITER,
        "provider",
        "America/Chicago",
        "my requisitions; covering for Tom this week",
    ),
    DemoPerson(
        "recruiter2@talentbridge.example",
        "Tom Okafor",
        User.Role.RECRUITER,
        "provider",
        "America/Chicago",
        "my requisitions; out of office with Rita as backup",
    ),
    DemoPerson(
        "sourcer@talentbridge.example",
        "Sam Lindqvist",
        User.Role.SOURCER,
        "provider",
        "Europe/Berlin",
        "sourcing on every requisition",
    ),
    DemoPerson(
        "hm@acme.example",
        "Helen Park",
        User.Role.HIRING_MANAGER,
        "acme",
        "America/New_York",
        "an Acme hiring manager who answers quickly",
    ),
    DemoPerson(
        "hm2@acme.example",
        "David Chen",
        User.Role.HIRING_MANAGER,
        "acme",
        "America/New_York",
        "an Acme hiring manager who is often late (daily digest)",
        digest=True,
    ),
    DemoPerson(
        "admin@acme.example",
        "Claire Donovan",
        User.Role.CLIENT_ADMIN,
        "acme",
        "America/New_York",
        "Acme's talent director: escalations, scorecard, issues and wins",
    ),
    DemoPerson(
        "hm@globex.example",
        "Jonas Weber",
        User.Role.HIRING_MANAGER,
        "globex",
        "Europe/Berlin",
        "a Globex hiring manager",
    ),
    DemoPerson(
        "admin@globex.example",
        "Katrin Hoffmann",
        User.Role.CLIENT_ADMIN,
        "globex",
        "Europe/Berlin",
        "Globex's head of talent: escalations, scorecard",
    ),
)

RECRUITERS = ("recruiter@talentbridge.example", "recruiter2@talentbridge.example")
SOURCER = "sourcer@talentbridge.example"
ACCOUNT_MANAGER = "am@talentbridge.example"
AWAY_RECRUITER, AWAY_BACKUP, AWAY_NOTE = RECRUITERS[1], RECRUITERS[0], "Annual leave"
# How slowly each demo hiring manager gives feedback: 1.0 keeps the 24-hour SLA on average.
HIRING_MANAGER_PACE = {"hm@acme.example": 0.7, "hm2@acme.example": 2.2, "hm@globex.example": 1.2}


@dataclass(frozen=True)
class RequisitionSpec:
    title: str
    location: str
    status: str = Requisition.Status.OPEN
    priority: str = Requisition.Priority.NORMAL
    openings: int = 1


@dataclass(frozen=True)
class ClientSpec:
    key: str
    name: str
    time_zone: str
    domain: str
    code_prefix: str
    engagement_name: str
    admin: str
    account_managers: tuple[str, ...]
    hiring_managers: tuple[str, ...]
    base_requisitions: tuple[RequisitionSpec, ...]
    candidate_titles: tuple[str, ...]
    candidate_locations: tuple[str, ...]
    rooms: tuple[str, ...]
    phone_format: str
    # key (a default step's, engagements.implementation.DEFAULT_TASKS, or "" for one of the client's
    # own), title, owner, due day (from the start), done
    implementation_tasks: tuple[tuple[str, str, str, int, bool], ...]
    orientation_notes: tuple[tuple[str, str, str], ...]  # title, author, body
    # Who has read the orientation as the demo leaves it ("": nobody yet).
    orientation_reader: str = ""
    # Whose public holidays are not business hours (Engagement.country, region).
    country: str = ""
    region: str = ""


_STATUS = Requisition.Status
_PRIORITY = Requisition.Priority

ACME = ClientSpec(
    key="acme",
    name="Acme Corp",
    time_zone="America/New_York",
    country="US",
    region="NY",
    domain="acme.example",
    code_prefix="ACME",
    engagement_name="Acme Corp partnership",
    admin="admin@acme.example",
    account_managers=(ACCOUNT_MANAGER,),
    hiring_managers=("hm@acme.example", "hm2@acme.example"),
    base_requisitions=(
        RequisitionSpec("Senior Backend Engineer", "New York, NY", priority=_PRIORITY.HIGH, openings=2),
        RequisitionSpec("Product Designer", "New York, NY"),
        RequisitionSpec("Data Analyst", "Boston, MA"),
        RequisitionSpec("Customer Success Manager", "Remote (US)", status=_STATUS.FILLED),
        RequisitionSpec("DevOps Engineer", "Remote (US)", priority=_PRIORITY.URGENT),
        RequisitionSpec("Financial Controller", "New York, NY", status=_STATUS.ON_HOLD, priority=_PRIORITY.LOW),
        RequisitionSpec("Sales Development Representative", "Chicago, IL", openings=3),
        RequisitionSpec("Engineering Manager", "New York, NY", status=_STATUS.FILLED, priority=_PRIORITY.HIGH),
    ),
    candidate_titles=(
        "Software Engineer",
        "Senior Software Engineer",
        "Product Designer",
        "Business Analyst",
        "Account Executive",
        "Site Reliability Engineer",
        "Finance Manager",
        "Customer Success Lead",
    ),
    candidate_locations=("New York, NY", "Boston, MA", "Chicago, IL", "Austin, TX", "Remote (US)", "Jersey City, NJ"),
    rooms=("Video call (Zoom)", "Acme HQ, 5th floor, room Hudson", "Acme HQ, 3rd floor, room Liberty", "Phone screen"),
    phone_format="+1 212 {}",
    implementation_tasks=(
        ("kickoff", "Kick-off workshop with the talent director", ACCOUNT_MANAGER, 3, True),
        ("sla_signoff", "Agree the SLA policy and the escalation path", "admin@acme.example", 7, True),
        ("", "Portal and ATS access for the recruiting team", "admin@talentbridge.example", 10, True),
        ("hiring_manager_training", "Hiring-manager briefing: feedback links", "admin@acme.example", 14, True),
        (
            "change_management",
            "Change-management plan: where resistance is expected (finance hiring managers)",
            "admin@acme.example",
            14,
            True,
        ),
        ("recruiter_orientation", "Orientation notes for new recruiters", "admin@acme.example", 21, True),
        ("first_requisitions", "Intake of the first requisitions", RECRUITERS[0], 21, True),
        ("thirty_day_review", "30-day review with the mutual scorecard", ACCOUNT_MANAGER, 30, True),
        ("", "First quarterly business review with the mutual scorecard", ACCOUNT_MANAGER, 200, False),
    ),
    orientation_notes=(
        (
            "What it is like to work at Acme",
            ACCOUNT_MANAGER,
            "Acme builds logistics software for mid-sized retailers. Teams are small and own their "
            "product end to end; engineers talk to customers every week. Hybrid: three days in the "
            "New York office, Tuesday to Thursday. Candidates ask about on-call: it is one week in "
            "six, paid.",
        ),
        (
            "How Acme interviews",
            "recruiter@talentbridge.example",
            "Résumé review by the hiring manager, a 45-minute video call, then one half-day onsite "
            "with a practical exercise (no take-home tests). Helen answers within a day; David "
            "prefers a summary of three strong candidates over a long list.",
        ),
        (
            "Offers and approvals",
            "admin@acme.example",
            "Salary bands are shared at intake. Offers above the midpoint need the talent "
            "director's approval, usually within two business days.",
        ),
    ),
    orientation_reader="recruiter@talentbridge.example",
)

GLOBEX = ClientSpec(
    key="globex",
    name="Globex",
    time_zone="Europe/Berlin",
    country="DE",
    region="BE",
    domain="globex.example",
    code_prefix="GLX",
    engagement_name="Globex partnership",
    admin="admin@globex.example",
    account_managers=(ACCOUNT_MANAGER,),
    hiring_managers=("hm@globex.example",),
    base_requisitions=(
        RequisitionSpec("Supply Chain Planner", "Hamburg"),
        RequisitionSpec("Process Engineer", "Munich", priority=_PRIORITY.HIGH, openings=2),
        RequisitionSpec("Quality Assurance Lead", "Berlin", status=_STATUS.FILLED),
        RequisitionSpec("Maintenance Technician", "Leipzig", openings=3),
        RequisitionSpec("HR Business Partner", "Berlin", priority=_PRIORITY.LOW),
        RequisitionSpec("Procurement Specialist", "Hamburg", status=_STATUS.CANCELLED),
        RequisitionSpec("Plant Controller", "Munich", priority=_PRIORITY.URGENT),
        RequisitionSpec("Field Service Engineer", "Remote (Germany)"),
    ),
    candidate_titles=(
        "Process Engineer",
        "Production Planner",
        "Quality Engineer",
        "Industrial Mechanic",
        "Buyer",
        "Controller",
        "HR Generalist",
        "Service Technician",
    ),
    candidate_locations=("Berlin", "Hamburg", "Munich", "Leipzig", "Cologne", "Frankfurt am Main"),
    rooms=("Video call (Teams)", "Globex Berlin, Raum Spree", "Globex Munich plant, visitor centre"),
    phone_format="+49 30 {}",
    implementation_tasks=(
        ("kickoff", "Kick-off workshop with the head of talent", ACCOUNT_MANAGER, 3, True),
        ("sla_signoff", "Agree the SLA policy and the escalation path", "admin@globex.example", 7, True),
        ("", "Works council briefing on the recruiting process", "admin@globex.example", 14, True),
        ("", "Portal and ATS access for the recruiting team", "admin@talentbridge.example", 10, True),
        ("first_requisitions", "Intake of the first requisitions", RECRUITERS[0], 14, True),
        (
            "change_management",
            "Change-management plan: where resistance is expected (plant managers, shift rotas)",
            "admin@globex.example",
            18,
            True,
        ),
        ("hiring_manager_training", "Hiring-manager briefing: feedback links", "admin@globex.example", 20, False),
        ("recruiter_orientation", "Orientation notes for new recruiters", "admin@globex.example", 30, False),
        ("thirty_day_review", "30-day review with the mutual scorecard", ACCOUNT_MANAGER, 35, False),
        ("", "First quarterly business review with the mutual scorecard", ACCOUNT_MANAGER, 205, False),
    ),
    orientation_notes=(
        (
            "What it is like to work at Globex",
            ACCOUNT_MANAGER,
            "Globex makes industrial pumps in three German plants. People stay long: the median "
            "tenure is nine years. Shift roles come with a plant bus from the city centre. German "
            "is required on the shop floor, English is enough in engineering.",
        ),
        (
            "How Globex interviews",
            "sourcer@talentbridge.example",
            "A first call with the hiring manager, then a plant visit with the team. Interviews are "
            "planned two weeks ahead because of shift rotas: ask Jonas for slots early.",
        ),
    ),
)

CLIENTS = (ACME, GLOBEX)

FIRST_NAMES = (
    "Maria",
    "James",
    "Aisha",
    "Lukas",
    "Sofia",
    "Daniel",
    "Mei",
    "Omar",
    "Hannah",
    "Carlos",
    "Emma",
    "Noah",
    "Priya",
    "Jonas",
    "Olivia",
    "Ethan",
    "Fatima",
    "Leon",
    "Grace",
    "Mateo",
    "Chloe",
    "Felix",
    "Amara",
    "Ben",
    "Yuki",
    "Lena",
    "Samuel",
    "Isabel",
    "Kwame",
    "Julia",
    "Ravi",
    "Clara",
    "Diego",
    "Nora",
    "Marcus",
    "Elif",
)
LAST_NAMES = (
    "Garcia",
    "Smith",
    "Khan",
    "Schmidt",
    "Rossi",
    "Nguyen",
    "Johnson",
    "Mueller",
    "Okafor",
    "Kim",
    "Williams",
    "Fischer",
    "Patel",
    "Brown",
    "Weber",
    "Lopez",
    "Chen",
    "Wagner",
    "Davis",
    "Novak",
    "Silva",
    "Becker",
    "Jones",
    "Hoffmann",
    "Martin",
    "Yilmaz",
    "Taylor",
    "Schulz",
    "Anderson",
    "Kowalski",
    "Moore",
    "Richter",
    "Clark",
    "Nakamura",
    "Lewis",
    "Braun",
)
EMAIL_DOMAINS = ("mail.example", "inbox.example", "post.example")
SOURCES = ("LinkedIn", "Referral", "Job board", "Careers site", "Talent community", "Sourced: GitHub", "Event")
SUMMARIES = (
    "{years} years as a {title}; strong on exactly what the intake asked for.",
    "{years} years of experience, currently {title}; open to the hybrid schedule.",
    "Currently {title} ({years} years); available with one month's notice.",
    "{title} with {years} years in the industry; a referral from the team.",
    "Solid {title}, {years} years; salary expectation within the band.",
)
SENIORITY = ("", "", "", "Senior ", "Lead ", "Junior ")
SCALED_REQUISITION_STATUSES = {_STATUS.OPEN: 65, _STATUS.ON_HOLD: 8, _STATUS.FILLED: 20, _STATUS.CANCELLED: 7}
PRIORITIES = {_PRIORITY.LOW: 15, _PRIORITY.NORMAL: 55, _PRIORITY.HIGH: 22, _PRIORITY.URGENT: 8}

# --- Feedback: what hiring managers answer, and how ----------------------------------------------
# How answers arrive: mostly from the one-click link in the email, some on the web, a few by API.
FEEDBACK_CHANNELS = {"email_link": 55, "web": 35, "api": 10}
POSITIVE_REASONS = ("skills_match", "experience_match", "culture_add", "communication")
NEGATIVE_REASONS = ("skills_gap", "experience_gap", "overqualified", "compensation", "location", "timing")
FEEDBACK_COMMENTS = {
    "advance": (
        "",
        "Strong on the essentials; let's meet.",
        "Exactly the profile we discussed at intake.",
        "Good fit for the team. Please set up the interview.",
        "Impressive track record, keen to talk.",
    ),
    "hold": (
        "",
        "Interesting, but let's see the rest of the shortlist first.",
        "Good candidate; waiting on budget confirmation.",
    ),
    "reject": (
        "",
        "Not enough hands-on experience for this level.",
        "Solid, but the salary expectation is well above the band.",
        "We need someone on site three days a week.",
        "Thanks, the team went with a stronger match this round.",
    ),
}

# --- The partnership itself: issues, wins and the two-way pulse (issue 10) -----------------------
# In the seed article's tone: an issue names what happened, what it does to hiring and the next
# step, never whose fault it was; a win thanks people by name. Days are counted back from today on
# the engagement's calendar (a day that falls on a weekend moves back to the business day before).


@dataclass(frozen=True)
class IssueSpec:
    title: str
    what_happened: str
    impact: str
    next_step: str
    raised_by: str
    owner: str
    raised_days_ago: int
    # The due date, in days from today (negative: in the past). -1 is the last business day before
    # today: overdue, its escalation still ahead, so the reminder ladder has something to chase.
    due_in_days: int
    status: str = "open"
    in_progress_days_ago: int | None = None
    closed_days_ago: int | None = None  # resolved or declined
    resolution: str = ""
    decline_reason: str = ""
    requisition: int | None = None  # the base requisition's number (1 is <PREFIX>-001)
    comments: tuple[tuple[str, int, str], ...] = ()  # author, days ago, body
    followers: tuple[str, ...] = ()


@dataclass(frozen=True)
class WinSpec:
    title: str
    what_happened: str
    raised_by: str
    thanked: tuple[str, ...]
    days_ago: int
    requisition: int | None = None


@dataclass(frozen=True)
class PulseSpec:
    # The mean score of each question on the first and the last of the six surveys (a straight
    # trend between them, with noise): the client rates the provider, the provider the client.
    client_trend: dict[str, tuple[float, float]]
    provider_trend: dict[str, tuple[float, float]]
    # (survey number 0-5, oldest first; side) answered by fewer than 3 people: "not enough answers yet".
    under_threshold: tuple[tuple[int, str], ...]
    # Comments of the first three surveys, then of the last three, per side.
    client_comments: tuple[tuple[str, ...], tuple[str, ...]]
    provider_comments: tuple[tuple[str, ...], tuple[str, ...]]


_AM, _RITA, _TOM, _SAM = ACCOUNT_MANAGER, "recruiter@talentbridge.example", "recruiter2@talentbridge.example", SOURCER

ISSUES = {
    "acme": (
        IssueSpec(
            "Interview slots for the backend role took over a week to come",
            "Three candidates advanced after résumé review waited eight to ten days for interview slots.",
            "One finalist accepted another offer while waiting; the others asked twice about the timeline.",
            "Hold two fixed interview windows a week so that slots can be offered the day a résumé is advanced.",
            raised_by=_RITA,
            owner="hm2@acme.example",
            raised_days_ago=75,
            due_in_days=-68,
            status="resolved",
            in_progress_days_ago=73,
            closed_days_ago=66,
            resolution="David holds two interview windows every Tuesday and Thursday afternoon; slots are "
            "offered from them within a business day of an advance.",
            requisition=1,
            comments=(
                (
                    "hm2@acme.example",
                    74,
                    "Fair point: my calendar is the bottleneck. Two fixed windows a week "
                    "from now on, starting Thursday.",
                ),
                (_RITA, 73, "Thanks David. Two candidates are waiting; I'll offer them the Thursday window today."),
                (
                    "admin@acme.example",
                    66,
                    "Good to see this fixed at the source. Let's look at the "
                    "interview-to-offer time together at the quarterly review.",
                ),
            ),
            followers=(_RITA, "hm2@acme.example", "admin@acme.example", _AM),
        ),
        IssueSpec(
            "Data Analyst shortlist missed the SQL depth asked for at intake",
            "Four of the first six Data Analyst candidates could not write the window queries the team uses daily.",
            "Two interview loops of the hiring team were spent on candidates who could not pass the exercise.",
            "Add a short SQL screen before submission and write the must-have skills into the intake notes.",
            raised_by="hm2@acme.example",
            owner=_RITA,
            raised_days_ago=50,
            due_in_days=-43,
            status="resolved",
            in_progress_days_ago=49,
            closed_days_ago=41,
            resolution="A 20-minute SQL screen with a shared exercise now comes before submission, and the "
            "intake notes list the three must-have skills. Since then every shortlisted analyst passed it.",
            requisition=3,
            comments=(
                (_RITA, 49, "Thanks for the detail. Sam and I will draft a screen with your team's exercise."),
                (_SAM, 45, "Screen drafted; David, could someone on the team check the expected answers?"),
                ("hm2@acme.example", 44, "Checked, looks right. Happy to go with it."),
            ),
            followers=(_RITA, _SAM, "hm2@acme.example"),
        ),
        IssueSpec(
            "Résumé reviews on weekends to speed up the sales hiring",
            "The sales roles have many applicants and reviews pile up over the weekend.",
            "Candidates submitted on Friday wait until Tuesday for an answer.",
            "Ask the hiring managers to look at résumés on Saturday mornings.",
            raised_by=_TOM,
            owner="admin@acme.example",
            raised_days_ago=30,
            due_in_days=-23,
            status="declined",
            closed_days_ago=27,
            decline_reason="We keep weekends free. The 24-hour feedback SLA in business hours stands; the "
            "Monday digest and Friday afternoon submissions before 14:00 cover the gap.",
            requisition=7,
            comments=(
                (
                    "admin@acme.example",
                    27,
                    "Thanks Tom, I see the problem. Could you send Friday's "
                    "candidates before 14:00? David reads the digest first thing on Monday.",
                ),
                (_TOM, 27, "Works for us: Friday submissions go out by lunchtime from now on."),
            ),
            followers=(_TOM, "admin@acme.example", _AM),
        ),
        IssueSpec(
            "Résumés for the backend role waiting more than three days",
            "Four résumés for the Senior Backend Engineer role have waited more than three business days for review.",
            "Two of these candidates have other processes running and expect an answer this week.",
            "Review the four résumés, or hand two of them to Helen for a first look.",
            raised_by=_RITA,
            owner="hm2@acme.example",
            raised_days_ago=6,
            due_in_days=-1,
            requisition=1,
            comments=(
                (
                    _AM,
                    4,
                    "David, the digest lists them under overdue. Shall we take 20 minutes together "
                    "tomorrow and go through them?",
                ),
                (
                    "hm2@acme.example",
                    3,
                    "Sorry, a busy week with the budget round. I'll do two today and ask Helen about the others.",
                ),
            ),
            followers=(_RITA, _AM, "admin@acme.example"),
        ),
        IssueSpec(
            "Offer letter for the sales roles lacks the commission plan",
            "The offer template sent to the first Sales Development Representative finalist has no commission table.",
            "The candidate asked for the plan in writing before signing; two more offers are due this month.",
            "Add the commission table to the template and have it signed off by Acme's legal team.",
            raised_by="admin@acme.example",
            owner=_AM,
            raised_days_ago=14,
            due_in_days=-6,
            status="in_progress",
            in_progress_days_ago=12,
            requisition=7,
            comments=(
                (_AM, 12, "Draft with the commission table is with Acme legal, waiting on their sign-off."),
                (
                    "admin@acme.example",
                    5,
                    "I've asked legal again. Meanwhile, can the pending offers go out "
                    "with the old template and a side letter?",
                ),
                (_AM, 4, "Yes, side letter drafted; Tom sends it with the next offer."),
            ),
            followers=("admin@acme.example", _TOM),
        ),
        IssueSpec(
            "One scoring sheet for Product Designer portfolio reviews",
            "Helen and the design lead score portfolios on different scales, so candidates get mixed answers.",
            "Recruiters cannot tell candidates clearly why they were not advanced.",
            "Agree one scoring sheet with four criteria and use it in the résumé review comments.",
            raised_by="hm@acme.example",
            owner=_TOM,
            raised_days_ago=3,
            due_in_days=6,
            requisition=2,
            comments=(
                (_TOM, 2, "Draft sheet is in the orientation notes; I'll confirm it with the design lead by Friday."),
            ),
            followers=("hm@acme.example", _TOM),
        ),
    ),
    "globex": (
        IssueSpec(
            "Plant visits cancelled at short notice after shift rota changes",
            "Three plant visits in Munich were cancelled the day before because the team's shifts moved.",
            "Candidates travelled or took leave for nothing; one withdrew.",
            "Book plant visits from the published rota, two weeks ahead, and confirm them a week before.",
            raised_by=_TOM,
            owner="hm@globex.example",
            raised_days_ago=80,
            due_in_days=-70,
            status="resolved",
            in_progress_days_ago=78,
            closed_days_ago=62,
            resolution="Plant visits are booked from the published rota two weeks ahead, and Jonas confirms "
            "them each Monday for the following week.",
            requisition=2,
            comments=(
                (
                    "hm@globex.example",
                    78,
                    "Understood, the rota changes surprised us too. I'll share the rota as soon as it is published.",
                ),
                (_TOM, 70, "Rota received, next two visits booked from it."),
                ("admin@globex.example", 62, "Thank you both. No cancellation for three weeks now."),
            ),
            followers=(_TOM, "hm@globex.example", "admin@globex.example", _AM),
        ),
        IssueSpec(
            "Candidates not told that German is needed on the shop floor",
            "Two Maintenance Technician finalists learned at the plant visit that German is needed on the shop floor.",
            "Both withdrew; the team spent a day on visits that could not lead to a hire.",
            "State the German level in the job advert and check it in the screening call.",
            raised_by="hm@globex.example",
            owner=_SAM,
            raised_days_ago=45,
            due_in_days=-38,
            status="resolved",
            in_progress_days_ago=44,
            closed_days_ago=39,
            resolution="The adverts and the screening call now state German at B2 for shop-floor roles, and "
            "sourcing searches filter on it.",
            requisition=4,
            comments=(
                (
                    _SAM,
                    44,
                    "My miss in the search profile; the orientation note says it clearly. Fixing the adverts today.",
                ),
                ("hm@globex.example", 39, "The last three candidates all spoke German well. Thanks Sam."),
            ),
            followers=(_SAM, "hm@globex.example", _TOM),
        ),
        IssueSpec(
            "Share candidates' salary history with the hiring manager",
            "Jonas asked for each candidate's current salary to prepare offers.",
            "Offers are prepared without a reference point.",
            "Add current salary to the candidate summary.",
            raised_by="hm@globex.example",
            owner=_AM,
            raised_days_ago=35,
            due_in_days=-28,
            status="declined",
            closed_days_ago=33,
            decline_reason="We don't collect salary history: it anchors offers low and is not allowed everywhere "
            "we recruit. Every summary gives the candidate's salary expectation instead.",
            comments=(("hm@globex.example", 33, "Fair enough, the expectation is what I need in practice."),),
            followers=("hm@globex.example", "admin@globex.example"),
        ),
        IssueSpec(
            "Works council approval pending for the Plant Controller offer",
            "The offer for the Plant Controller finalist is ready but waits for the works council's approval.",
            "The candidate's notice period starts only once the offer is signed; the plant needs the role "
            "filled before the year-end close.",
            "Put the offer on the works council's agenda this week, or agree a written pre-approval.",
            raised_by=_RITA,
            owner="admin@globex.example",
            raised_days_ago=8,
            due_in_days=-1,
            requisition=7,
            comments=(
                ("admin@globex.example", 6, "The council meets on Thursdays; I've asked for it to be added."),
                (_RITA, 2, "The candidate is patient but asked for a date. Any news from Thursday?"),
            ),
            followers=(_RITA, _AM, "hm@globex.example"),
        ),
        IssueSpec(
            "Maintenance Technician pipeline thin in Leipzig",
            "Only two new Maintenance Technician candidates in Leipzig in the last three weeks.",
            "Three openings; the plant covers with overtime meanwhile.",
            "Widen the search to Halle and Dresden with the plant bus and a relocation allowance.",
            raised_by="admin@globex.example",
            owner=_SAM,
            raised_days_ago=9,
            due_in_days=4,
            status="in_progress",
            in_progress_days_ago=8,
            requisition=4,
            comments=(
                (_SAM, 8, "Searching Halle and Dresden from today; could Globex confirm the relocation allowance?"),
                ("admin@globex.example", 7, "Confirmed: up to 3,000 euros, paid with the first salary."),
            ),
            followers=("admin@globex.example", _SAM, _TOM),
        ),
    ),
}

WINS = {
    "acme": (
        WinSpec(
            "Interview windows cut the wait for slots from a week to a day",
            "Since David holds two interview windows a week, advanced backend candidates get their slots within a "
            "business day.",
            raised_by=_RITA,
            thanked=("hm2@acme.example", _RITA),
            days_ago=52,
            requisition=1,
        ),
        WinSpec(
            "SQL screen lifts the Data Analyst shortlist",
            "Every Data Analyst candidate shortlisted since the SQL screen passed the team's exercise.",
            raised_by="admin@acme.example",
            thanked=(_RITA, _SAM, "hm2@acme.example"),
            days_ago=33,
            requisition=3,
        ),
        WinSpec(
            "Same-day feedback kept two designers in the process",
            "Helen answered both résumé reviews within hours, and both candidates, who had competing offers, "
            "came to the interview.",
            raised_by=_TOM,
            thanked=("hm@acme.example",),
            days_ago=10,
            requisition=2,
        ),
    ),
    "globex": (
        WinSpec(
            "No cancelled plant visit since visits follow the rota",
            "Every plant visit since the rota rule was kept; candidates now get a confirmed date two weeks ahead.",
            raised_by="admin@globex.example",
            thanked=("hm@globex.example", _TOM),
            days_ago=40,
            requisition=2,
        ),
        WinSpec(
            "German-level screening: every finalist passed the shop-floor check",
            "Since the adverts state the German level, every technician finalist passed the check at the plant.",
            raised_by="hm@globex.example",
            thanked=(_SAM,),
            days_ago=20,
            requisition=4,
        ),
    ),
}

_CLIENT_SIDE = ("candidate_quality", "communication", "responsiveness")
_PROVIDER_SIDE = ("feedback_speed", "interview_availability", "requirements_clarity")

PULSE = {
    "acme": PulseSpec(
        # Acme's view of the provider improves as shortlists sharpen; the provider sees Acme's feedback
        # speed improve once the reminders and David's interview windows are in place.
        client_trend={"candidate_quality": (3.0, 4.3), "communication": (3.4, 4.5), "responsiveness": (3.2, 4.4)},
        provider_trend={
            "feedback_speed": (2.1, 3.8),
            "interview_availability": (2.8, 3.9),
            "requirements_clarity": (3.5, 4.2),
        },
        under_threshold=((0, "client"), (5, "provider")),
        client_comments=(
            (
                "Good candidates, but the shortlist for the analyst role missed what we asked for at intake.",
                "Communication is friendly; I'd like fewer, stronger candidates rather than a long list.",
                "Updates come quickly when I ask. A weekly summary per role would help.",
                "Still finding our rhythm; the portal helps to see who waits on whom.",
            ),
            (
                "The SQL screen made a real difference: every candidate this month was worth meeting.",
                "Clear summaries, and the team tells us early when a candidate has another offer.",
                "Feels like one team now. The interview windows work well.",
                "Rita and Tom know our teams; candidates arrive well briefed.",
            ),
        ),
        provider_comments=(
            (
                "Résumé reviews for the backend role often wait several days; candidates drop out meanwhile.",
                "Interview slots are hard to get from engineering.",
                "Intake meetings are thorough; the requirements are clear from the start.",
            ),
            (
                "Feedback comes much faster since the reminders and the fixed interview windows.",
                "Helen answers within hours. David's queue is shorter than it was.",
                "Claire's quick decisions on the offer template questions help a lot.",
            ),
        ),
    ),
    "globex": PulseSpec(
        # Globex is content with the provider from the start; the provider finds interview
        # availability hard (shift rotas) until plant visits follow the published rota.
        client_trend={"candidate_quality": (3.6, 4.1), "communication": (3.9, 4.4), "responsiveness": (4.0, 4.3)},
        provider_trend={
            "feedback_speed": (3.0, 3.7),
            "interview_availability": (2.3, 3.5),
            "requirements_clarity": (3.9, 4.3),
        },
        under_threshold=((2, "client"), (4, "provider")),
        client_comments=(
            (
                "Candidates are well prepared, but some did not know German is needed on the shop floor.",
                "Reliable and friendly. The summaries could say more about shift readiness.",
                "Good start. The portal's links make feedback easy from the plant.",
            ),
            (
                "The German screening solved the drop-outs at the plant visits.",
                "Very good communication, also with the works council questions.",
                "We trust the shortlists now; fewer visits, better hires.",
            ),
        ),
        provider_comments=(
            (
                "Plant visits get moved at short notice when the rota changes.",
                "Jonas answers reliably; slots for visits are the hard part.",
                "Requirements are precise, the orientation notes are excellent.",
            ),
            (
                "Visits booked from the rota hold: planning is much easier.",
                "Works council steps take time; Katrin keeps us informed.",
                "Quick, clear feedback from Jonas almost every time.",
            ),
        ),
    ),
}
PULSE_QUESTIONS = {"client": _CLIENT_SIDE, "provider": _PROVIDER_SIDE}
# Who each side's survey goes to: the client's hiring managers and admins rate the provider; the
# provider's recruiters, sourcers and account managers rate the client.
PULSE_ROLES = {
    "client": (User.Role.HIRING_MANAGER, User.Role.CLIENT_ADMIN),
    "provider": (User.Role.RECRUITER, User.Role.SOURCER, User.Role.ACCOUNT_MANAGER),
}
