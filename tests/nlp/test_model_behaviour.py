"""Behavioural checks of the committed default model: invariances and obvious cues."""

import pytest


def predict_one(triager, text):
    return triager.model.predict([text])[0]


@pytest.mark.parametrize("plain, variant", [
    ("انتظرت في الطوارئ ست ساعات وما احد كشف على ولدي",
     "اِنْتَظَرْتُ في الطَّوارِئ سِتّ ساعات وما أحد كَشَف على وَلَدي"),
    ("التطبيق ما يفتح من امس", "التطبيييييق ما يفتححح من امسسس"),
    ("متى يفتح المركز الصحي", "مـــتـــى يفتح المركز الصحي"),
    ("رقم ملفي 12345 ابغى اقدم موعدي", "رقم ملفي ١٢٣٤٥ ابغى اقدم موعدي"),
])
def test_predictions_ignore_diacritics_elongation_tatweel_and_digit_script(default_triager,
                                                                           plain, variant):
    assert predict_one(default_triager, plain) == predict_one(default_triager, variant)


@pytest.mark.parametrize("text, head, label", [
    ("الكهرباء مقطوعة عن الحي من الصبح", "owner", "utilities"),
    ("فيه مستوصف بحي النسيم يشتغل بدون ترخيص والطبيب مو مرخص", "department", "licensing_inspection"),
    ("ابغى اقدم موعدي عند طبيب العيون لو سمحتوا", "department", "appointments"),
    ("لماذا لا يعمل تطبيق الوزارة منذ أمس؟ لا أستطيع إصدار الإجازة المرضية", "department", "eservices"),
    ("متى يفتح المركز الصحي في رمضان؟", "intent", "inquiry"),
    ("الله يعطيكم العافية على سرعة التطعيم 🌹", "intent", "other"),
])
def test_obvious_cues_point_the_obvious_way(default_triager, text, head, label):
    assert getattr(predict_one(default_triager, text), head).label == label


def test_an_emergency_now_raises_the_urgent_probability(default_triager):
    calm = predict_one(default_triager, "متى يفتح المركز الصحي؟")
    emergency = predict_one(default_triager, "ابوي ينزف في الطوارئ من ساعتين ولا فيه دكتور الحقوا عليه")
    assert emergency.urgent_probability > 0.5 > calm.urgent_probability
