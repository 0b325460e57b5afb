import pytest

from nlp.corpus import LabelledPost
from nlp.errors import ProfileError
from nlp.triage_model import TriageModel
from router.decide import IncomingPost
from router.profile import DEFAULT_PROFILE, load_profile
from router.triage import Triager
from tests.conftest import FIXTURES

EDUCATION = FIXTURES / "profiles" / "education.toml"


def test_default_profile_holds_the_taxonomy_ids(profile):
    assert set(profile.label_space.departments) == {
        "hospitals", "primary_care", "appointments", "pharmacy", "licensing_inspection",
        "eservices", "public_health", "treatment_abroad", "employment"}
    assert set(profile.label_space.entities) == {
        "municipality", "utilities", "interior", "education", "commerce", "telecom",
        "food_drug_authority", "health_insurance", "labor", "other_external"}


@pytest.mark.parametrize("old, new, field", [
    ('timezone = "Asia/Riyadh"', 'timezone = "Mars/Olympus"', "calendar.timezone"),
    ("working_days = 3", "working_days = 0", "service_level.working_days"),
    ("intent = 0.75", "intent = 1.5", "thresholds.intent"),
    ("profile_format = 1", "profile_format = 99", "profile_format"),
    ('id = "pharmacy"', 'id = "hospitals"', "duplicate id(s) hospitals"),
    ("{working_days} أيام عمل.", "{deadline} أيام عمل.", "templates.ack_complaint"),
    ('holidays_country = "SA"', 'holidays_country = "XX"', "calendar.holidays_country"),
    ('case_prefix = "MOH"', 'case_prefix = "moh"', "case_prefix"),
])
def test_a_broken_profile_is_refused_naming_the_field(tmp_path, old, new, field):
    text = DEFAULT_PROFILE.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "broken.toml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(ProfileError) as error:
        load_profile(path)
    assert field in str(error.value) and str(path) in str(error.value)


def test_missing_template_and_unknown_key_are_refused(tmp_path):
    text = DEFAULT_PROFILE.read_text(encoding="utf-8")
    path = tmp_path / "p.toml"
    path.write_text(text.split("[templates.redirect]")[0], encoding="utf-8")
    with pytest.raises(ProfileError, match="missing redirect"):
        load_profile(path)
    path.write_text(text.replace("[calendar]", "[calendar]\nweekends = [5]"), encoding="utf-8")
    with pytest.raises(ProfileError, match="calendar.weekends"):
        load_profile(path)


def test_unreadable_or_malformed_profile_file_is_refused(tmp_path):
    with pytest.raises(ProfileError, match="cannot read"):
        load_profile(tmp_path / "missing.toml")
    bad = tmp_path / "bad.toml"
    bad.write_text("id = [unclosed", encoding="utf-8")
    with pytest.raises(ProfileError, match="not valid TOML"):
        load_profile(bad)


def _post(i, text, intent, owner, department):
    return LabelledPost(id=str(i), text=text, intent=intent, owner=owner, department=department,
                        requires_inspection=False, urgent=False, dialect="msa", platform="x")


def test_another_ministry_runs_on_its_own_profile_without_code_changes():
    profile = load_profile(EDUCATION)
    examples = [
        ("نتيجة الاختبار النهائي غلط", "complaint", "ministry", "exams"),
        ("درجاتي في الاختبارات ما طلعت", "complaint", "ministry", "exams"),
        ("متى تطلع نتائج الاختبارات", "inquiry", "ministry", "exams"),
        ("موعد الاختبارات النهائية متى", "inquiry", "ministry", "exams"),
        ("سقف الفصل في المدرسة يخر ماي", "complaint", "ministry", "schools"),
        ("مكيفات المدرسة خربانة والطلاب يموتون حر", "complaint", "ministry", "schools"),
        ("متى يبدأ دوام المدارس", "inquiry", "ministry", "schools"),
        ("كم عدد الطلاب في فصول المدرسة", "inquiry", "ministry", "schools"),
        ("المستشفى ما عطاني دواء", "complaint", "health", None),
        ("الطوارئ في المستشفى زحمة", "complaint", "health", None),
        ("متى يفتح المستشفى العيادات", "inquiry", "health", None),
        ("وين اراجع في المستشفى للتطعيم", "inquiry", "health", None),
    ] * 3
    posts = [_post(i, *example) for i, example in enumerate(examples)]
    triager = Triager.create(TriageModel.train(posts), profile, "moe-test")
    school, hospital = triager.triage([
        IncomingPost(id="a", text="مكيفات المدرسة خربانة"),
        IncomingPost(id="b", text="الطوارئ في المستشفى ما عطاني دواء")])
    assert school.department.label == "schools"
    assert school.acknowledgement.text.startswith("وصلت شكواك في التعليم برقم a")
    assert school.working_days == 2
    assert hospital.entity == "health"
    assert "وزارة الصحة" in hospital.acknowledgement.text


def test_model_for_another_profile_is_refused(default_triager):
    with pytest.raises(Exception, match="lacks"):
        Triager.create(default_triager.model, load_profile(EDUCATION), "x")
