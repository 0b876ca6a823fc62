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
        "both partnerships: scorecards, overdue items, coverage",
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
        "Acme's talent director: escalations, scorecard",
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
    implementation_tasks: tuple[tuple[str, str, int, bool], ...]  # title, owner, due day, done
    orientation_notes: tuple[tuple[str, str, str], ...]  # title, author, body


_STATUS = Requisition.Status
_PRIORITY = Requisition.Priority

ACME = ClientSpec(
    key="acme",
    name="Acme Corp",
    time_zone="America/New_York",
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
        ("Kick-off workshop with the talent director", ACCOUNT_MANAGER, 3, True),
        ("Agree the SLA policy and the escalation path", "admin@acme.example", 7, True),
        ("Portal and ATS access for the recruiting team", "admin@talentbridge.example", 10, True),
        ("Hiring-manager briefing: one-click feedback links", "admin@acme.example", 14, True),
        ("Orientation notes for new recruiters", ACCOUNT_MANAGER, 21, True),
        ("Intake meetings for the first requisitions", "recruiter@talentbridge.example", 21, True),
        ("First quarterly business review with the mutual scorecard", ACCOUNT_MANAGER, 160, False),
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
)

GLOBEX = ClientSpec(
    key="globex",
    name="Globex",
    time_zone="Europe/Berlin",
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
        ("Kick-off workshop with the head of talent", ACCOUNT_MANAGER, 3, True),
        ("Agree the SLA policy and the escalation path", "admin@globex.example", 7, True),
        ("Works council briefing on the recruiting process", "admin@globex.example", 14, True),
        ("Portal and ATS access for the recruiting team", "admin@talentbridge.example", 10, True),
        ("Hiring-manager briefing: one-click feedback links", "admin@globex.example", 20, False),
        ("Orientation notes for new recruiters", ACCOUNT_MANAGER, 30, False),
        ("First quarterly business review with the mutual scorecard", ACCOUNT_MANAGER, 165, False),
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
