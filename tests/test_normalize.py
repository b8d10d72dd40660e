"""Table tests for spoken-form normalization: one row per case, input beside expected."""

from __future__ import annotations

import doctest
import re

import pytest

from audiogen.models import QUOTE, Article, Section, Sentence
from audiogen.text import normalize
from audiogen.text.normalize import (
    EN_RULES,
    drop_emoji,
    drop_stray_symbols,
    expand_abbreviations,
    expand_addresses,
    expand_arithmetic,
    expand_codes,
    expand_currency,
    expand_dates,
    expand_decades,
    expand_dotted_numbers,
    expand_fractions,
    expand_numeric_dates,
    expand_ordinals,
    expand_percent,
    expand_phone_numbers,
    expand_postcodes,
    expand_ranges,
    expand_roman_numerals,
    expand_state_codes,
    expand_symbols,
    expand_times,
    expand_units,
    expand_urls,
    expand_years,
    normalize_article,
    normalize_sentence,
    rules_for,
    spell_numbers,
    tidy_spaces,
)


def test_docstring_examples_hold() -> None:
    result = doctest.testmod(normalize)
    assert result.attempted > 40
    assert result.failed == 0


# --- one rule at a time ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("$200 million", "200 million dollars"),
        ("$5", "5 dollars"),
        ("$1", "1 dollar"),
        ("$3.50", "3 dollars 50 cents"),
        ("$1.01", "1 dollar 1 cent"),
        ("$0.99", "99 cents"),
        ("$3.00", "3 dollars"),
        ("$1,250", "1,250 dollars"),
        ("€5", "5 euros"),
        ("€1", "1 euro"),
        ("£3.50", "3 pounds 50"),  # issue 13: pence are not named after pounds
        ("£1.01", "1 pound 1"),
        ("¥500", "500 yen"),
        ("¥3.50", "3.50 yen"),
        ("$5bn", "5 billion dollars"),
        ("€3.2m", "3.2 million euros"),
        ("$40k", "40 thousand dollars"),
        ("$5M", "5 million dollars"),
        ("$2.5 trillion", "2.5 trillion dollars"),
        ("US$5", "5 US dollars"),
        ("C$10", "10 Canadian dollars"),
        ("HK$1 billion", "1 billion Hong Kong dollars"),
        ("$5-10 million", "5 to 10 million dollars"),
        ("$5 to $10", "5 to 10 dollars"),
        ("€25-€40", "25 to 40 euros"),
        ("$5 million to $10 million", "5 million to 10 million dollars"),
        ("5 €", "5 euros"),
        ("20€", "20 euros"),
        ("$5 more", "5 dollars more"),
        ("the $ fell", "the $ fell"),
        ("a $-denominated bond", "a $-denominated bond"),
    ],
)
def test_expand_currency(text: str, expected: str) -> None:
    assert expand_currency(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12%", "12 percent"),
        ("12 %", "12 percent"),
        ("3.5%", "3.5 percent"),
        ("3.5 percent", "3.5 percent"),
        ("2 to 3%", "2 to 3 percent"),
        ("5‰", "5 per mille"),
        ("100% sure", "100 percent sure"),
    ],
)
def test_expand_percent(text: str, expected: str) -> None:
    assert expand_percent(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1st", "first"),
        ("2nd", "second"),
        ("3rd", "third"),
        ("22nd", "twenty-second"),
        ("103rd", "one hundred and third"),
        ("11th", "eleventh"),
        ("1,000th", "one thousandth"),
        ("the 4th of July", "the fourth of July"),
        ("3rdparty", "3rdparty"),
        ("1st-place", "first-place"),
    ],
)
def test_expand_ordinals(text: str, expected: str) -> None:
    assert expand_ordinals(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("in 2023", "in twenty twenty-three"),
        ("In 2023, prices rose", "In twenty twenty-three, prices rose"),
        ("2023 was hard", "twenty twenty-three was hard"),
        ("by 1905", "by nineteen oh-five"),
        ("in 2000", "in two thousand"),
        ("in 2005", "in two thousand and five"),
        ("since 2010", "since twenty ten"),
        ("in 1066", "in ten sixty-six"),
        ("after 1014", "after ten fourteen"),
        ("1066 was a year", "1066 was a year"),
        ("in 1024 bytes", "in 1024 bytes"),
        ("up to 1050 meters", "up to 1050 meters"),
        ("the 2024 election", "the twenty twenty-four election"),
        ("2,300 people", "2,300 people"),
        ("1500 people", "1500 people"),
        ("2000 dollars", "2000 dollars"),
        ("1200 meters", "1200 meters"),
        ("in 1500 cases", "in fifteen hundred cases"),
        ("2023.5", "2023.5"),
        ("2100 miles", "2100 miles"),
        ("room 1099", "room 1099"),
        ("1984's novel", "nineteen eighty-four's novel"),
        ("1800 by 1920 pixels", "1800 by 1920 pixels"),
        ("by 2030", "by twenty thirty"),
        ("500 BC", "five hundred BC"),
        ("AD 70", "AD seventy"),
        ("2019 to 2023", "twenty nineteen to twenty twenty-three"),
        ("FY2024", "FY2024"),
        ("$2024", "$2024"),
    ],
)
def test_expand_years(text: str, expected: str) -> None:
    assert expand_years(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("the 1990s", "the nineteen nineties"),
        ("the 1990's", "the nineteen nineties"),
        ("the 1800s", "the eighteen hundreds"),
        ("the 2000s", "the two thousands"),
        ("the 2010s", "the twenty tens"),
        ("the '90s", "the nineties"),
        ("the ’80s", "the eighties"),
        ("in their 30s", "in their thirties"),
        ("10s of thousands", "10s of thousands"),
        ("B52s", "B52s"),
    ],
)
def test_expand_decades(text: str, expected: str) -> None:
    assert expand_decades(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("at 3 p.m. today", "at three PM today"),
        ("at 3 p.m.", "at three PM."),
        ("at 3pm", "at three PM"),
        ("at 3 PM", "at three PM"),
        ("at 10:30", "at ten thirty"),
        ("at 10:30 a.m. today", "at ten thirty AM today"),
        ("at 9:05", "at nine oh five"),
        ("at 10:00", "at ten o'clock"),
        ("at 14:00", "at fourteen hundred"),
        ("at 12:00 PM", "at twelve PM"),
        ("at 7.30pm", "at seven thirty PM"),
        ("at 10 a.m. ET", "at ten AM Eastern time"),
        ("at 18:30 GMT", "at eighteen thirty G M T"),
        ("a 3:1 ratio", "a 3:1 ratio"),
        ("16:9 screens", "16:9 screens"),
        ("finished in 2:01:09", "finished in two hours one minute nine seconds"),
        ("I am 5 years old", "I am 5 years old"),
        ("at 25:30", "at 25:30"),
    ],
)
def test_expand_times(text: str, expected: str) -> None:
    assert expand_times(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Jan. 5, 2024", "January fifth, twenty twenty-four"),
        ("on January 5th", "on January fifth"),
        ("on March 3", "on March third"),
        ("Sept. 11", "September eleventh"),
        ("Dec. 7, 1941", "December seventh, nineteen forty-one"),
        ("on 5 May 2023", "on the fifth of May twenty twenty-three"),
        ("on the 9 Feb", "on the ninth of February"),
        ("May 10-12", "May tenth to twelfth"),
        ("2024-01-05", "January fifth, twenty twenty-four"),
        ("in Dec. 2023", "in December 2023"),
        ("Jan said so", "Jan said so"),
        ("May I go?", "May I go?"),
        ("it happened in May.", "it happened in May."),
        ("5/1/2024", "5/1/2024"),
        ("March 5,000 strong", "March 5,000 strong"),
    ],
)
def test_expand_dates(text: str, expected: str) -> None:
    assert expand_dates(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2019-2023", "2019 to 2023"),
        ("pages 10-12", "pages 10 to 12"),
        ("pages 10–12", "pages 10 to 12"),
        ("2 - 3 days", "2 to 3 days"),
        ("a 5-4 ruling", "a 5 to 4 ruling"),
        ("2019-20 season", "2019 to 2020 season"),
        ("1.5-2%", "1.5 to 2%"),
        ("odds of 3:1", "odds of 3 to 1"),
        ("555-1234", "555-1234"),
        ("1-800-555-0199", "1-800-555-0199"),
        ("a 10-year-old", "a 10-year-old"),
        ("COVID-19", "COVID-19"),
        ("F-16 jets", "F-16 jets"),
        ("A320-200", "A320-200"),
        ("1800 x 1920 pixels", "1800 by 1920 pixels"),
        ("a 4x4 truck", "a 4 by 4 truck"),
        ("packet 0x08", "packet 0x08"),
        ("10x faster", "10x faster"),
        ("2^15 - 1", "2^15 - 1"),
    ],
)
def test_expand_ranges(text: str, expected: str) -> None:
    assert expand_ranges(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1/2", "one half"),
        ("3/4", "three quarters"),
        ("1/4", "one quarter"),
        ("2/3", "two thirds"),
        ("1/3", "one third"),
        ("5/8", "five eighths"),
        ("1/10", "one tenth"),
        ("3/100", "three hundredths"),
        ("½", "one half"),
        ("¾ of them", "three quarters of them"),
        ("2½ miles", "two and a half miles"),
        ("1 1/2 hours", "one and a half hours"),
        ("3/2", "three halves"),
        ("9/11", "9/11"),
        ("24/7", "24/7"),
        ("5/1/2024", "5/1/2024"),
        ("1/25", "1/25"),
        ("0/3", "0/3"),
    ],
)
def test_expand_fractions(text: str, expected: str) -> None:
    assert expand_fractions(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1 km", "1 kilometer"),
        ("5 km", "5 kilometers"),
        ("5km", "5 kilometers"),
        ("2.5 kg", "2.5 kilograms"),
        ("30 mph", "30 miles per hour"),
        ("90 km/h", "90 kilometers per hour"),
        ("40°C", "40 degrees Celsius"),
        ("1 °C", "1 degree Celsius"),
        ("104°F", "104 degrees Fahrenheit"),
        ("-5°C", "-5 degrees Celsius"),
        ("64 GB", "64 gigabytes"),
        ("1 TB", "1 terabyte"),
        ("6 ft", "6 feet"),
        ("1 ft", "1 foot"),
        ("200 lbs", "200 pounds"),
        ("1 lb", "1 pound"),
        ("12 oz", "12 ounces"),
        ("10 to 15 cm", "10 to 15 centimeters"),
        ("a 10-km race", "a 10-kilometer race"),
        ("a 100m sprint", "a 100 meter sprint"),
        ("5m people", "5 million people"),
        ("7.75m in England", "7.75 million in England"),
        ("3bn", "3 billion"),
        ("50k", "50 thousand"),
        ("20 ng/mL", "20 nanograms per milliliter"),
        ("5 dollars/kg", "5 dollars per kilogram"),
        ("2 euros/hour", "2 euros per hour"),
        ("5′11″", "5 feet 11 inches"),
        ("5G networks", "5G networks"),
        ("4K video", "4K video"),
        ("5 m.p.h.", "5 m.p.h."),
        ("I'm in 5 min", "I'm in 5 minutes"),
        ("a Mb", "a Mb"),
    ],
)
def test_expand_units(text: str, expected: str) -> None:
    assert expand_units(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Dr. Smith", "Doctor Smith"),
        ("Mr. and Mrs. Smith", "Mister and Missus Smith"),
        ("Ms. Lee", "Miz Lee"),
        ("Prof. Jones", "Professor Jones"),
        ("Gov. Newsom", "Governor Newsom"),
        ("Sen. Warren", "Senator Warren"),
        ("Rep. Jordan", "Representative Jordan"),
        ("Gen. Milley", "General Milley"),
        ("Lt. Gov. Patrick", "Lieutenant Governor Patrick"),
        ("St. Louis", "Saint Louis"),
        ("from St. Paul's", "from Saint Paul's"),
        ("on Main St.", "on Main Street."),
        ("on Main St. today", "on Main Street today"),
        ("on 42nd St.", "on 42nd Street."),
        ("Oxford St is busy", "Oxford Street is busy"),
        ("The St. Louis Cardinals", "The Saint Louis Cardinals"),
        ("Jill St. John", "Jill Saint John"),
        ("12 Elm Dr. today", "12 Elm Drive today"),
        ("5th Ave.", "5th Avenue."),
        ("the Wall St. Journal", "the Wall Street Journal"),
        ("Mr Smith", "Mister Smith"),
        ("Dr Who", "Doctor Who"),
        ("Gen Z", "Gen Z"),
        ("No. 5", "number 5"),
        ("No. 10 Downing Street", "number 10 Downing Street"),
        ("No one came", "No one came"),
        ("she said no.", "she said no."),
        ("Martin Luther King Jr. Day", "Martin Luther King Junior Day"),
        ("Apple Inc. said", "Apple Incorporated said"),
        ("Acme Co.", "Acme Company."),
        ("Roe v. Wade", "Roe versus Wade"),
        ("Ali vs. Frazier", "Ali versus Frazier"),
        ("e.g. apples", "for example apples"),
        ("i.e. fruit", "that is fruit"),
        ("apples, pears, etc.", "apples, pears, et cetera."),
        ("Sen. Warren (D-Mass.)", "Senator Warren (Democrat of Massachusetts)"),
        ("Rep. Jordan (R-Ohio)", "Representative Jordan (Republican of Ohio)"),
        ("in Palo Alto, Calif., on", "in Palo Alto, California, on"),
        ("Jackson, Miss.", "Jackson, Mississippi."),
        ("WWII veterans", "World War Two veterans"),
        ("AT&T", "A T and T"),
        ("open 24/7", "open twenty-four seven"),
        ("since 9/11", "since nine eleven"),
        ("and/or", "and or"),
        ("w/o sugar", "without sugar"),
        ("except Mon.", "except Monday."),
        ("the U.S. and U.K.", "the U.S. and U.K."),
        ("Washington, D.C., today", "Washington, D.C., today"),
    ],
)
def test_expand_abbreviations(text: str, expected: str) -> None:
    assert expand_abbreviations(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("World War II", "World War Two"),
        ("World War I", "World War One"),
        ("Henry VIII", "Henry the Eighth"),
        ("Elizabeth II's reign", "Elizabeth the Second's reign"),
        ("Elizabeth I ruled", "Elizabeth the First ruled"),
        ("Henry V", "Henry the Fifth"),
        ("Louis XIV", "Louis the Fourteenth"),
        ("Pope Benedict XVI", "Pope Benedict the Sixteenth"),
        ("John Smith III", "John Smith the Third"),
        ("Super Bowl LVIII", "Super Bowl Fifty-Eight"),
        ("Title IX", "Title Nine"),
        ("Stage IV cancer", "Stage Four cancer"),
        ("Part II", "Part Two"),
        ("WORLD WAR II", "WORLD WAR Two"),
        ("So I said", "So I said"),
        ("Then I left", "Then I left"),
        ("Malcolm X", "Malcolm X"),
        ("Gen X", "Gen X"),
        ("Washington DC", "Washington DC"),
        ("a MIX of", "a MIX of"),
        ("the CIVIC center", "the CIVIC center"),
        ("an IV drip", "an IV drip"),
        ("Mark XI", "Mark Eleven"),
        ("Grand Theft Auto V", "Grand Theft Auto V"),
        ("Apple II", "Apple the Second"),
    ],
)
def test_expand_roman_numerals(text: str, expected: str) -> None:
    assert expand_roman_numerals(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("see example.com", "see example dot com"),
        ("see Amazon.com", "see amazon dot com"),
        ("see bbc.co.uk/news", "see bbc dot co dot uk"),
        ("https://www.nytimes.com/2023/10/12/world/a.html.", "nytimes dot com."),
        ("(http://example.org/x?y=1)", "(example dot org)"),
        ("www.gov.uk", "gov dot uk"),
        ("my-site.org", "my dash site dot org"),
        ("mail jane@example.com", "mail jane at example dot com"),
        ("john.doe@mail.example.org.", "john dot doe at mail dot example dot org."),
        ("john_doe+news@gmail.com", "john underscore doe plus news at gmail dot com"),
        ("@nytimes said", "at nytimes said"),
        ("@Uber_Sydney said", "at Uber Sydney said"),
        ("the U.S. economy", "the U.S. economy"),
        ("e.g. this", "e.g. this"),
        ("Node.js and file.py", "Node.js and file.py"),
        ("3.5 percent", "3.5 percent"),
        ("end.Then", "end.Then"),
    ],
)
def test_expand_urls(text: str, expected: str) -> None:
    assert expand_urls(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("call 1-800-555-0199", "call one, eight zero zero, five five five, zero one nine nine"),
        ("(202) 555-0143", "two zero two, five five five, zero one four three"),
        ("555-1234", "five five five, one two three four"),
        ("+44 20 7946 0958", "plus four four, two zero, seven nine four six, zero nine five eight"),
        ("2019-2023", "2019-2023"),
        ("100-200 people", "100-200 people"),
        ("2024-01-05", "2024-01-05"),
    ],
)
def test_expand_phone_numbers(text: str, expected: str) -> None:
    assert expand_phone_numbers(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Great 🎉 news", "Great   news"),
        ("thumbs 👍🏽 up", "thumbs   up"),
        ("family 👨‍👩‍👧 day", "family   day"),
        ("flag 🇫🇷 day", "flag   day"),
        ("keycap 1️⃣", "keycap 1️⃣"),
        ("rising ↑ fast", "rising   fast"),
        ("Café naïve 東京 ½ ° €", "Café naïve 東京 ½ ° €"),
    ],
)
def test_drop_emoji(text: str, expected: str) -> None:
    assert drop_emoji(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Acme™", "Acme"),
        ("© 2024 Reuters", " 2024 Reuters"),
        ("the *only* one†", "the only one"),
        ("10^5 * 300 and 2*3", "10^5 * 300 and 2*3"),
        ("^caret and * star", "caret and  star"),
        ("Politics • World", "Politics  ,  World"),
        ("keycap 1️⃣", "keycap 1"),
        ("zero\u200bwidth", "zerowidth"),
        ("5 > 3 & (x)", "5 > 3 & (x)"),
    ],
)
def test_drop_stray_symbols(text: str, expected: str) -> None:
    assert drop_stray_symbols(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("R&D", "R and D"),
        ("Johnson & Johnson", "Johnson and Johnson"),
        ("Disney+", "Disney plus"),
        ("2 + 2 = 4", "2 plus 2 equals 4"),
        ("#1 hit", "number 1 hit"),
        ("the #MeToo movement", "the MeToo movement"),
        ("his/her", "his or her"),
        ("AC/DC", "AC DC"),
        ("Israel/Gaza", "Israel slash Gaza"),
        ("~5 people", "about 5 people"),
        ("<3 hours", "less than 3 hours"),
        ("> 10", "more than 10"),
        ("≥ 10", "at least 10"),
        ("±2", "plus or minus 2"),
        ("3×3", "3 times 3"),
        ("10x faster", "10 times faster"),
        ("10^5 * 300", "10 to the power of 5 times 300"),
        ("snake_case", "snake case"),
        ("§ 5", "section 5"),
        ("a 90° turn", "a 90 degrees turn"),
        ("50%", "50 percent"),
    ],
)
def test_expand_symbols(text: str, expected: str) -> None:
    assert tidy_spaces(expand_symbols(text)) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2,300 people", "two thousand three hundred people"),
        ("3.5", "three point five"),
        ("0.25", "zero point two five"),
        (".45 caliber", "point four five caliber"),
        ("007", "zero zero seven"),
        ("-5 degrees", "minus five degrees"),
        ("(-3)", "(minus three)"),
        ("1,000,000", "one million"),
        ("37,305.16", "thirty-seven thousand three hundred and five point one six"),
        ("version 3.14.1", "version three point fourteen point one"),
        ("5G", "five G"),
        ("MP3", "MP three"),
        ("COVID-19", "COVID-nineteen"),
        ("1,2,3.", "one,two,three."),
        ("the end.", "the end."),
    ],
)
def test_spell_numbers(text: str, expected: str) -> None:
    assert spell_numbers(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("  a   b  ", "a b"),
        ("a , b", "a, b"),
        ("a ,  , b", "a, b"),
        ("end .", "end."),
        (", start", "start"),
        ("x ; y : z ! ?", "x; y: z!?"),
    ],
)
def test_tidy_spaces(text: str, expected: str) -> None:
    assert tidy_spaces(text) == expected


# --- issue 13: kinds added, one table each (rule alone, then the whole pipeline) ------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("3/14/07", "March fourteenth, two thousand and seven"),
        ("12/25/2020", "December twenty-fifth, twenty twenty"),
        ("1/5/24", "January fifth, twenty twenty-four"),
        ("6/4/99", "June fourth, nineteen ninety-nine"),
        ("27/01/2021", "the twenty-seventh of January twenty twenty-one"),
        ("13/12/2020", "the thirteenth of December twenty twenty"),
        ("2019/06/04", "June fourth, twenty nineteen"),
        ("2024/1/5", "January fifth, twenty twenty-four"),
        ("04.06.2019", "the fourth of June twenty nineteen"),
        ("31.12.1999", "the thirty-first of December nineteen ninety-nine"),
        ("3-14-2007", "March fourteenth, two thousand and seven"),
        ("2/29/2024", "February twenty-ninth, twenty twenty-four"),
        ("2/29/2023", "2/29/2023"),
        ("13/13/2020", "13/13/2020"),
        ("0/5/2020", "0/5/2020"),
        ("1/2 cup", "1/2 cup"),
        ("24/7", "24/7"),
        ("10.0.0.1", "10.0.0.1"),
        ("1.2.10", "1.2.10"),
        ("page 3/14/07/2", "page 3/14/07/2"),
    ],
)
def test_expand_numeric_dates_us(text: str, expected: str) -> None:
    assert expand_numeric_dates(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("4/6/2019", "the fourth of June twenty nineteen"),
        ("3/14/07", "March fourteenth, two thousand and seven"),
        ("25/12/2020", "the twenty-fifth of December twenty twenty"),
        ("01/02/2021", "the first of February twenty twenty-one"),
        ("2019/06/04", "June fourth, twenty nineteen"),
    ],
)
def test_expand_numeric_dates_day_first(text: str, expected: str) -> None:
    assert expand_numeric_dates(text, day_first=True) == expected


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("on 4/6/2019", "en", "on April sixth, twenty nineteen"),
        ("on 4/6/2019", "en-US", "on April sixth, twenty nineteen"),
        ("on 4/6/2019", "en-GB", "on the fourth of June twenty nineteen"),
        ("on 4/6/2019", "en_AU", "on the fourth of June twenty nineteen"),
        ("on 4/6/2019", "en-IN", "on the fourth of June twenty nineteen"),
        ("on 4/6/2019", "en-PH", "on April sixth, twenty nineteen"),
        ("on 14/6/2019", "en-US", "on the fourteenth of June twenty nineteen"),
        ("on 6/14/2019", "en-GB", "on June fourteenth, twenty nineteen"),
    ],
)
def test_numeric_dates_follow_the_locale(text: str, language: str, expected: str) -> None:
    assert normalize_sentence(text, language) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("March 3", "March third"),
        ("on March 3, 2021", "on March third, twenty twenty-one"),
        ("4 June 2019", "the fourth of June twenty nineteen"),
        ("FEB. 3", "February third"),
        ("FEB 3, 2020", "February third, twenty twenty"),
        ("SEPT. 12", "September twelfth"),
        ("Sept. 12", "September twelfth"),
        ("OCT 7", "October seventh"),
        ("DEC. 2023", "December twenty twenty-three"),
        ("30 APR 2020", "the thirtieth of April twenty twenty"),
        ("MARCH 3", "March third"),
        ("MAY I GO", "MAY I GO"),
        ("JAN SAID SO", "JAN SAID SO"),
    ],
)
def test_month_abbreviations_in_capitals(text: str, expected: str) -> None:
    assert normalize_sentence(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("the 1950s-1970s", "the nineteen fifties to nineteen seventies"),
        ("the 1980s–1990s", "the nineteen eighties to nineteen nineties"),
        ("the '60s-'70s", "the sixties to seventies"),
        ("the 1960s-70s", "the nineteen sixties to seventies"),
        ("the mid-90s", "the mid-nineties"),
        ("the early-80s", "the early-eighties"),
        ("the late-70s", "the late-seventies"),
        ("the mid-1990s", "the mid-nineteen nineties"),
        ("the '80s", "the eighties"),
        ("top-10s", "top-10s"),
    ],
)
def test_decades_and_decade_ranges(text: str, expected: str) -> None:
    assert expand_decades(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("$.05", "five cents"),
        ("$.50", "fifty cents"),
        ("$1.125", "one point one two five dollars"),
        ("$0.125", "zero point one two five dollars"),
        ("US$20", "twenty US dollars"),
        ("C$10", "ten Canadian dollars"),
        ("A$3.50", "three Australian dollars fifty cents"),
        ("NZ$100", "one hundred New Zealand dollars"),
        ("HK$2 million", "two million Hong Kong dollars"),
        ("¥40B", "forty billion yen"),
        ("$3.5M", "three point five million dollars"),
        ("£2bn", "two billion pounds"),
        ("$10k", "ten thousand dollars"),
        ("£3.40", "three pounds forty"),
        ("£1.05", "one pound five"),
        ("£0.40", "forty pence"),
        ("£12.99", "twelve pounds ninety-nine"),
        ("€1.50", "one euro fifty cents"),
        ("€0.05", "five cents"),
        ("$0.99", "ninety-nine cents"),
        ("$1.01", "one dollar one cent"),
        ("A$1.2bn", "one point two billion Australian dollars"),
        ("$2.50-$3", "two dollars fifty cents to three dollars"),
        ("£1.20-£1.50", "one pound twenty to one pound fifty"),
    ],
)
def test_money_spoken(text: str, expected: str) -> None:
    assert normalize_sentence(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("7 - 2 = 5", "7 minus 2 equals 5"),
        ("2 + 2 = 4", "2 plus 2 equals 4"),
        ("3 x 4 = 12", "3 times 4 equals 12"),
        ("3x4=12", "3 times 4 equals 12"),
        ("6 × 7 = 42", "6 times 7 equals 42"),
        ("10 / 2 = 5", "10 divided by 2 equals 5"),
        ("12 ÷ 4 = 3", "12 divided by 4 equals 3"),
        ("1 + 2 - 3 = 0", "1 plus 2 minus 3 equals 0"),
        ("2.5 + 2.5 = 5", "2.5 plus 2.5 equals 5"),
        ("5 - 8 = -3", "5 minus 8 equals -3"),
        ("10 − 3", "10 minus 3"),
        ("2 - 3 days", "2 - 3 days"),
        ("a 4 x 6 rug", "a 4 x 6 rug"),
        ("1 + 1", "1 + 1"),
        ("x = 5", "x = 5"),
    ],
)
def test_expand_arithmetic(text: str, expected: str) -> None:
    assert expand_arithmetic(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("7 - 2 = 5", "seven minus two equals five"),
        ("8 - 3 = 5", "eight minus three equals five"),
        ("3 x 4 = 12", "three times four equals twelve"),
        ("2 + 2 = 4", "two plus two equals four"),
        ("4 + 5", "four plus five"),
        ("5%", "five percent"),
        ("3-7kg", "three to seven kilograms"),
        ("10–20km", "ten to twenty kilometers"),
        ("5-10mg/kg", "five to ten milligrams per kilogram"),
        ("1-2 tsp", "one to two teaspoons"),
        ("10-12 years", "ten to twelve years"),
        ("pages 10–20", "pages ten to twenty"),
        ("a 5-4 vote", "a five to four vote"),
        ("2 - 3 days", "two to three days"),
        ("90 km/h", "ninety kilometers per hour"),
        ("5 mg/kg", "five milligrams per kilogram"),
        ("9.8 m/s", "nine point eight meters per second"),
        ("3.2 kWh", "three point two kilowatt hours"),
        ("50 mg/L", "fifty milligrams per liter"),
        ("4-5G phones", "four-five G phones"),
    ],
)
def test_ranges_units_and_arithmetic_spoken(text: str, expected: str) -> None:
    assert normalize_sentence(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("open 9am-5 pm", "open nine AM to five PM"),
        ("5-6pm", "five to six PM"),
        ("9:30-10:45 a.m.", "nine thirty to ten forty-five AM."),
        ("9:30–11:00", "nine thirty to eleven o'clock"),
        ("10 a.m.-2 p.m.", "ten AM to two PM."),
        ("7.30-9pm", "seven thirty to nine PM"),
        ("5-6 people", "five to six people"),
    ],
)
def test_time_ranges(text: str, expected: str) -> None:
    assert normalize_sentence(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1428 Elm St.", "fourteen twenty-eight Elm Street."),
        ("221B Baker Street", "two twenty-one B Baker Street"),
        ("100 Main St", "one hundred Main Street"),
        ("350 Fifth Ave", "three fifty Fifth Avenue"),
        ("1600 Pennsylvania Ave NW", "sixteen hundred Pennsylvania Avenue Northwest"),
        ("12 N Main St", "twelve North Main Street"),
        ("500 S. Grand Blvd", "five hundred South Grand Boulevard"),
        ("4059 Mt Lee Dr", "forty fifty-nine Mount Lee Drive"),
        ("9 Jefferson Expy", "nine Jefferson Expressway"),
        ("77 Garden State Pkwy", "seventy-seven Garden State Parkway"),
        ("250 Oak Rd", "two fifty Oak Road"),
        ("31 Spooner Ln", "thirty-one Spooner Lane"),
        ("3900 Ocean Hwy", "thirty-nine hundred Ocean Highway"),
        ("2 E 42nd St", "two East forty-second Street"),
        ("5 W. 5th Ave.", "five West fifth Avenue."),
        ("742 Evergreen Terrace", "seven forty-two Evergreen Terrace"),
        ("305 Elm Ct", "three oh five Elm Court"),
        ("1005 Pine Pl", "ten oh five Pine Place"),
        ("12345 Lake Cir", "one twenty-three forty-five Lake Circle"),
        ("at 2000 Main St.", "at two thousand Main Street."),
        ("In 2019 Street food grew", "In twenty nineteen Street food grew"),
        ("the 40 The Way", "the forty The Way"),
    ],
)
def test_addresses_spoken(text: str, expected: str) -> None:
    assert normalize_sentence(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1428 Elm St.", "fourteen twenty-eight Elm Street."),
        ("1428 Elm St. is old", "fourteen twenty-eight Elm Street is old"),
        ("12 N Main St", "twelve North Main Street"),
        ("88 Colin P Kelly Jr St", "eighty-eight Colin P Kelly Jr Street"),
        ("at 5 St", "at 5 St"),
        ("40 The Way", "40 The Way"),
        ("$100 Main Street", "$100 Main Street"),
    ],
)
def test_expand_addresses(text: str, expected: str) -> None:
    assert expand_addresses(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Austin, TX", "Austin, Texas"),
        ("in Austin, TX.", "in Austin, Texas."),
        ("Austin, TX 78701", "Austin, Texas seven eight seven zero one"),
        ("Portland, OR 97201", "Portland, Oregon nine seven two zero one"),
        ("Portland, OR", "Portland, OR"),
        ("New York, NY 10001", "New York, New York one zero zero zero one"),
        ("Springfield, IL", "Springfield, Illinois"),
        ("Seattle, WA 98101-1234", "Seattle, Washington nine eight one zero one, one two three four"),
        ("Boston, MA 02108", "Boston, Massachusetts zero two one zero eight"),
        ("Miami, FL, and Reno, NV", "Miami, Florida, and Reno, Nevada"),
        ("Texas 78701", "Texas seven eight seven zero one"),
        ("Fine, OK.", "Fine, OK."),
        ("Hello, CA is big", "Hello, CA is big"),
        ("won 12345 votes", "won 12345 votes"),
    ],
)  # fmt: skip
def test_expand_state_codes(text: str, expected: str) -> None:
    assert expand_state_codes(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("SW1A 1AA", "S W one A, one A A"),
        ("M1 1AE", "M one, one A E"),
        ("EC1A 1BB", "E C one A, one B B"),
        ("K1A 0B1", "K one A, zero B one"),
        ("A4 paper", "A4 paper"),
    ],
)
def test_expand_postcodes(text: str, expected: str) -> None:
    assert expand_postcodes(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("+1 (555) 123-4567", "plus one, five five five, one two three, four five six seven"),
        ("555.123.4567", "five five five, one two three, four five six seven"),
        ("555-123-4567", "five five five, one two three, four five six seven"),
        ("+44 20 7946 0958", "plus four four, two zero, seven nine four six, zero nine five eight"),
        ("(020) 7946 0958", "zero two zero, seven nine four six, zero nine five eight"),
        ("020 7946 0958", "zero two zero, seven nine four six, zero nine five eight"),
        ("1-800-555-0199", "one, eight zero zero, five five five, zero one nine nine"),
        ("+1-202-555-0143", "plus one, two zero two, five five five, zero one four three"),
        ("+33 1 42 68 53 00", "plus three three, one, four two, six eight, five three, zero zero"),
        ("+49 30 123456", "plus four nine, three zero, one two three four five six"),
        ("(415) 555 2671", "four one five, five five five, two six seven one"),
        ("0800 123 4567", "zero eight zero zero, one two three, four five six seven"),
        ("+2 3 4", "+2 3 4"),
    ],
)  # fmt: skip
def test_phone_layouts(text: str, expected: str) -> None:
    assert expand_phone_numbers(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("10.0.0.1", "ten dot zero dot zero dot one"),
        ("192.168.1.1", "one nine two dot one six eight dot one dot one"),
        ("8.8.8.8.", "eight dot eight dot eight dot eight."),
        ("v2.3.1", "version two dot three dot one"),
        ("v2.0", "version two dot zero"),
        ("Python 3.11.7", "Python three dot eleven dot seven"),
        ("version 1.2.10", "version one dot two dot ten"),
        ("release 2024.01.5", "release two zero two four dot zero one dot five"),
        ("3.5 percent", "3.5 percent"),
        ("1,234.5", "1,234.5"),
    ],
)
def test_expand_dotted_numbers(text: str, expected: str) -> None:
    assert expand_dotted_numbers(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("AB1234", "A B one two three four"),
        ("flight BA287", "flight B A two eight seven"),
        ("model XJ220", "model X J two two zero"),
        ("CO2", "C O two"),
        ("MI6", "M I six"),
        ("A380", "A three eight zero"),
        ("UA901", "U A nine zero one"),
        ("G7", "G7"),
        ("B12", "B12"),
        ("A4", "A4"),
        ("FY2024", "FY2024"),
        ("COVID-19", "COVID-19"),
        ("5G", "5G"),
        ("H1N1", "H1N1"),
        ("AB-1234", "AB-1234"),
    ],
)
def test_expand_codes(text: str, expected: str) -> None:
    assert expand_codes(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("A4 paper", "A four paper"),
        ("the G7 summit", "the G seven summit"),
        ("gate B12", "gate B twelve"),
        ("room 4B", "room four B"),
        ("COVID-19", "COVID-nineteen"),
        ("a B-52", "a B-fifty-two"),
        ("flight BA287", "flight B A two eight seven"),
    ],
)
def test_codes_spoken(text: str, expected: str) -> None:
    assert normalize_sentence(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (f"the {n}{suffix}", f"the {word}")
        for n, suffix, word in [
            (1, "st", "first"), (2, "nd", "second"), (3, "rd", "third"), (4, "th", "fourth"),
            (5, "th", "fifth"), (8, "th", "eighth"), (9, "th", "ninth"), (11, "th", "eleventh"),
            (12, "th", "twelfth"), (13, "th", "thirteenth"), (20, "th", "twentieth"),
            (21, "st", "twenty-first"), (22, "nd", "twenty-second"), (23, "rd", "twenty-third"),
            (30, "th", "thirtieth"), (31, "st", "thirty-first"), (42, "nd", "forty-second"),
            (99, "th", "ninety-ninth"), (100, "th", "one hundredth"),
            (101, "st", "one hundred and first"), (111, "th", "one hundred and eleventh"),
            (1000, "th", "one thousandth"),
        ]
    ],
)  # fmt: skip
def test_ordinals_spoken(text: str, expected: str) -> None:
    assert normalize_sentence(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("3/4 cup", "three quarters cup"),
        ("2 1/2 miles", "two and a half miles"),
        ("½ teaspoon", "one half teaspoon"),
        ("1/3 of voters", "one third of voters"),
        ("1 3/4 inches", "one and three quarters inches"),
        ("5/8 inch", "five eighths inch"),
        ("7/16 inch", "seven sixteenths inch"),
        ("3½ hours", "three and a half hours"),
        ("⅔ of them", "two thirds of them"),
    ],
)
def test_fractions_spoken(text: str, expected: str) -> None:
    assert normalize_sentence(text) == expected


# --- issue 13, second round: kinds a held-out list found missing ---------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("pay GBP 40 now", "pay forty pounds now"),
        ("JPY 3,000", "three thousand yen"),
        ("20 EUR", "twenty euros"),
        ("2.5 million USD", "two point five million US dollars"),
        ("a fee of CAD 15", "a fee of fifteen Canadian dollars"),
        ("Rs. 1,200", "one thousand two hundred rupees"),
        ("Rs 75", "seventy-five rupees"),
        ("CHF 3.50", "three Swiss francs fifty centimes"),
        ("SEK 200", "two hundred Swedish kronor"),
        ("RMB 10 billion", "ten billion yuan"),
        ("75¢", "seventy-five cents"),
        ("10p", "ten pence"),
        ("1p", "one penny"),
        ("a 20p coin", "a twenty pence coin"),
        ("Rs 40 lakh", "forty lakh rupees"),
        ("₹3 crore", "three crore rupees"),
    ],
)
def test_currency_codes_cents_and_pence(text: str, expected: str) -> None:
    assert normalize_sentence(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a $20 bill", "a twenty dollar bill"),
        ("an $80 ticket", "an eighty dollar ticket"),
        ("a $3 million grant", "a three million dollar grant"),
        ("a $1.5bn merger", "a one point five billion dollar merger"),
        ("A $40 fine was issued.", "A forty dollar fine was issued."),
        ("a $5-10 million project", "a five to ten million dollar project"),
        ("a 20 kg sack", "a twenty kilogram sack"),
        ("a 3 km walk", "a three kilometer walk"),
        ("a 90° turn", "a ninety degree turn"),
        ("an 8 GB card", "an eight gigabyte card"),
        # not before a noun: the plural stays
        ("paid $20 for it", "paid twenty dollars for it"),
        ("a $10 or $20 tip", "a ten dollars or twenty dollars tip"),
        ("it weighs 20 kg now", "it weighs twenty kilograms now"),
    ],
)
def test_an_amount_before_a_noun_is_singular(text: str, expected: str) -> None:
    assert normalize_sentence(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a 12 V battery", "a twelve volt battery"),
        ("5 ft 11 in", "five feet eleven inches"),
        ("6 ft. 1 in.", "six feet one inch"),
        ("100 psi", "one hundred pounds per square inch"),
        ("300 hp", "three hundred horsepower"),
        ("7,000 rpm", "seven thousand revolutions per minute"),
        ("72 bpm", "seventy-two beats per minute"),
        ("5 nm", "five nanometers"),
        ("3 gal", "three gallons"),
        ("2 qt", "two quarts"),
        ("12 fl oz", "twelve fluid ounces"),
        ("1,013 hPa", "one thousand and thirteen hectopascals"),
        ("30 ms", "thirty milliseconds"),
        ("5 yrs", "five years"),
        ("6 wks", "six weeks"),
        ("1 Gb", "one gigabit"),
        ("100 cc", "one hundred cubic centimeters"),
        ("20 cm²", "twenty square centimeters"),
        ("9.81 m/s²", "nine point eight one meters per second squared"),
        ("won 2 V 1", "won two V one"),
        ("70 mi/h", "seventy miles per hour"),
        ("4 kgs", "four kilograms"),
    ],
)
def test_more_units(text: str, expected: str) -> None:
    assert normalize_sentence(text) == expected


@pytest.mark.parametrize(
    ("text", "wrong"),
    [("a 1080p screen", "pence"), ("720p video", "pence"), ("a 5 pt font", "pint")],
)
def test_resolutions_and_font_sizes_are_no_money_or_volume(text: str, wrong: str) -> None:
    assert wrong not in normalize_sentence(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("7 > 4", "seven is greater than four"),
        ("a < b", "a is less than b"),
        ("y ≤ 8", "y is less than or equal to eight"),
        ("2 ≠ 3", "two is not equal to three"),
        ("4²", "four squared"),
        ("2³", "two cubed"),
        ("3⁴", "three to the power of four"),
        ("10⁻⁶", "ten to the power of minus six"),
        ("E = mc²", "E equals mc squared"),
        ("√81", "square root of eighty-one"),
        ("≈ 2.5", "approximately two point five"),
        # a sign before a number alone is a word, not a sentence
        ("> 40 hours", "more than forty hours"),
        ("and ≥ 12", "and at least twelve"),
    ],
)
def test_comparisons_powers_and_roots(text: str, expected: str) -> None:
    assert normalize_sentence(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("see pp. 110-115", "see pages one hundred and ten to one hundred and fifteen"),
        ("on pg. 7", "on page seven"),
        ("in vol. 12", "in volume twelve"),
        ("fig. 4 shows it", "figure four shows it"),
        ("Ch. 3 begins", "Chapter three begins"),
        ("see Eq. 2", "see Equation two"),
        ("para. 6 says", "paragraph six says"),
        ("the sec. lasted", "the sec. lasted"),
        ("Mr Brown and Mrs Green", "Mister Brown and Missus Green"),
        ("Messrs Holt and Finch", "Messieurs Holt and Finch"),
        ("Mr and Mrs Patel came", "Mister and Missus Patel came"),
        ("a B2C brand", "a B to C brand"),
        ("P2P lending", "P to P lending"),
        ("a 50-50 split", "a fifty-fifty split"),
        ("they won 24-7", "they won twenty-four to seven"),
    ],
)
def test_more_abbreviations_and_fixed_words(text: str, expected: str) -> None:
    assert normalize_sentence(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Fri, Mar 8", "Friday, March eighth"),
        ("Mon. 4 Nov", "Monday the fourth of November"),
        ("Tues, June 4, 2024", "Tuesday, June fourth, twenty twenty-four"),
        ("on 7/4 we march", "on July fourth we march"),
        ("until 10/31", "until October thirty-first"),
        ("since 6/1", "since June first"),
        ("on 13/2", "on the thirteenth of February"),
        # no date: a fraction, a weekday that is a word, a newspaper
        ("on 1/3 of the days", "on one third of the days"),
        ("on 3/4 cup", "on three quarters cup"),
        ("cut by 1/4", "cut by one quarter"),
        ("they wed in June", "they wed in June"),
        ("killed since 9/11", "killed since nine eleven"),
        ("on 24/7 call", "on twenty-four seven call"),
        ("The Sun, May 3 issue", "The Sun, May third issue"),
    ],
)
def test_weekdays_and_dates_without_a_year(text: str, expected: str) -> None:
    assert normalize_sentence(text) == expected


def test_a_month_and_day_without_a_year_follows_the_locale() -> None:
    assert normalize_sentence("on 4/6", "en-GB") == "on the fourth of June"
    assert normalize_sentence("on 4/6", "en-US") == "on April sixth"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("updated 08.15 BST", "updated eight fifteen British Summer Time"),
        ("21.30 CET", "twenty-one thirty Central European Time"),
        ("rose 2.45 percent", "rose two point four five percent"),
        ("at 0600 hours", "at oh six hundred hours"),
        ("by 1800 hrs", "by eighteen hundred hrs"),
        ("until 2200 hours", "until twenty-two hundred hours"),
        ("at 0015 hours", "at zero zero fifteen hours"),
        ("at 0000 hours", "at zero hundred hours"),
        ("over 1200 hours of footage", "over one thousand two hundred hours of footage"),
        ("call 111 now", "call one one one now"),
        ("dial 999 in an emergency", "dial nine nine nine in an emergency"),
        ("ring 101", "ring one zero one"),
        ("they called 500 voters", "they called five hundred voters"),
        ("call 100 people", "call one hundred people"),
    ],
)
def test_military_times_and_numbers_to_call(text: str, expected: str) -> None:
    assert normalize_sentence(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a Boeing 777", "a Boeing seven seventy-seven"),
        ("the Airbus 320", "the Airbus three twenty"),
        ("on Route 128", "on Route one twenty-eight"),
        ("Highway 401 traffic", "Highway four oh one traffic"),
        ("Flight 370 vanished", "Flight three seventy vanished"),
        ("Room 101", "Room one oh one"),
        ("Suite 1200", "Suite twelve hundred"),
        ("the Fortune 500", "the Fortune five hundred"),
        ("Proposition 209", "Proposition two oh nine"),
        ("an AK-47", "an A K-forty-seven"),
        ("a C-130", "a C-one thirty"),
        ("PG-13", "P G-thirteen"),
        ("I-280", "I-two eighty"),
        ("the 49ers won", "the forty-niners won"),
        ("the 76ers lost", "the seventy-sixers lost"),
        ("a 5er", "a fiver"),
        # counts stay counts
        ("Boeing sold 300 jets", "Boeing sold three hundred jets"),
        ("About 150 people", "About one hundred and fifty people"),
        ("page 123", "page one hundred and twenty-three"),
    ],
)
def test_numbers_that_name_things(text: str, expected: str) -> None:
    assert normalize_sentence(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("No. 10 Downing Street", "number ten Downing Street"),
        ("the 2nd-4th floors", "the second to fourth floors"),
        ("the 15th–16th centuries", "the fifteenth to sixteenth centuries"),
        ("open 10 a.m.–midnight", "open ten AM to midnight"),
        ("lunch 11:30-noon", "lunch eleven thirty to noon"),
        ("100s of miles", "hundreds of miles"),
        ("1000s of emails", "thousands of emails"),
        ("10s of millions", "tens of millions"),
        ("the 1000s", "the one thousands"),
        ("a 900 sq. ft. flat", "a nine hundred square foot flat"),
        ("60 yds", "sixty yards"),
        ("2 km2", "two square kilometers"),
        ("the M2 motorway", "the M two motorway"),
        ("3 000 000 voters", "three million voters"),
        ("back in '97", "back in ninety-seven"),
        ("the class of '09", "the class of oh nine"),
        ("she said '14' twice", "she said 'fourteen' twice"),
        ("4\u202f500 km", "four thousand five hundred kilometers"),
        ("rooms 3 500", "rooms three five hundred"),
    ],
)
def test_labels_ordinal_ranges_rough_counts_and_grouped_digits(text: str, expected: str) -> None:
    assert normalize_sentence(text) == expected


# --- the whole English pipeline on news sentences -------------------------------------

NEWS = [
    (
        "The Fed raised rates by 0.25 percentage points, its 11th increase since March 2022.",
        "The Fed raised rates by zero point two five percentage points, its eleventh increase"
        " since March twenty twenty-two.",
    ),
    (
        "Apple Inc. reported revenue of $89.5 billion for the quarter ended Sept. 30.",
        "Apple Incorporated reported revenue of eighty-nine point five billion dollars for the"
        " quarter ended September thirtieth.",
    ),
    (
        "About 2,300 people fled St. Petersburg, Fla., as 150 mph winds hit.",
        "About two thousand three hundred people fled Saint Petersburg, Florida, as one hundred"
        " and fifty miles per hour winds hit.",
    ),
    (
        "I think the U.S. economy will grow 2.1% in 2024, said Dr. Janet Yellen.",
        "I think the U.S. economy will grow two point one percent in twenty twenty-four, said"
        " Doctor Janet Yellen.",
    ),
    (
        "King Charles III visited Kenya, the first visit since Elizabeth II's reign.",
        "King Charles the Third visited Kenya, the first visit since Elizabeth the Second's reign.",
    ),
    (
        "World War II ended in 1945; World War I ended in 1918.",
        "World War Two ended in nineteen forty-five; World War One ended in nineteen eighteen.",
    ),
    (
        "Temperatures reached 40°C (104°F) on July 14, the hottest since 1961.",
        "Temperatures reached forty degrees Celsius (one hundred and four degrees Fahrenheit) on"
        " July fourteenth, the hottest since nineteen sixty-one.",
    ),
    (
        "Read more at https://www.nytimes.com/2023/10/12/world/israel-gaza.html.",
        "Read more at nytimes dot com.",
    ),
    (
        "The 100m final is at 8:45 p.m.; tickets cost €25-€40.",
        "The one hundred meters final is at eight forty-five PM; tickets cost twenty-five to"
        " forty euros.",
    ),
    (
        "The 1990s were good; the '80s were not.",
        "The nineteen nineties were good; the eighties were not.",
    ),
    (
        "In the 2019-20 season, he scored 30 goals.",
        "In the twenty nineteen to twenty twenty season, he scored thirty goals.",
    ),
    (
        "Add 1/2 cup of milk and 2½ tbsp of butter.",
        "Add one half cup of milk and two and a half tablespoons of butter.",
    ),
    (
        "He paid £1.2m for the house in 2019.",
        "He paid one point two million pounds for the house in twenty nineteen.",
    ),
    (
        "Mr. and Mrs. Smith arrived at No. 10 at 9 o'clock.",
        "Mister and Missus Smith arrived at number ten at nine o'clock.",
    ),
    (
        "Her salary is $120k/year, or about $58/hour.",
        "Her salary is one hundred and twenty thousand dollars per year, or about fifty-eight"
        " dollars per hour.",
    ),
    (
        "The S&P 500 fell 1.2%, while AT&T gained 3%.",
        "The S and P five hundred fell one point two percent, while A T and T gained three"
        " percent.",
    ),
    (
        "Police arrested the suspect, 34, at 3 a.m. near Main St.",
        "Police arrested the suspect, thirty-four, at three AM near Main Street.",
    ),
    (
        "The vote was 5-4, and the score 3:1.",
        "The vote was five to four, and the score three to one.",
    ),
    (
        "Follow @Reuters 🔴 for live updates #Election",
        "Follow at Reuters for live updates Election",
    ),
    (
        "Contact tips@washpost.com or call 1-800-555-0199.",
        "Contact tips at washpost dot com or call one, eight zero zero, five five five, zero"
        " one nine nine.",
    ),
    (
        "He was born Jan. 5, 1942, in Scranton, Pa., and died in 2020.",
        "He was born January fifth, nineteen forty-two, in Scranton, Pennsylvania, and died in"
        " twenty twenty.",
    ),
    (
        "Sen. Elizabeth Warren (D-Mass.) spoke at 10 a.m. ET.",
        "Senator Elizabeth Warren (Democrat of Massachusetts) spoke at ten AM Eastern time.",
    ),
    (
        "The Quest Pro has 1800 x 1920 pixels; that's 10^5 * 300.",
        "The Quest Pro has one thousand eight hundred by one thousand nine hundred and twenty"
        " pixels; that's ten to the power of five times three hundred.",
    ),
    (
        "The temperature dropped to -15°C overnight.",
        "The temperature dropped to minus fifteen degrees Celsius overnight.",
    ),
    (
        "She is 5′6″ and ran the 400m in 47.2 seconds.",
        "She is five feet six inches and ran the four hundred meters in forty-seven point two"
        " seconds.",
    ),
]

# Plain prose that no rule may change (never drop or rewrite words of ordinary text).
UNTOUCHED = [
    "I said I would come, and I did.",
    "She said no. Then she left.",
    "It happened in May. May I ask why?",
    "Mark my words: Part of the plan is secret.",
    "Malcolm X spoke in Harlem, and Gen X listened.",
    "It was a MIX of CIVIC pride and DC politics.",
    "The U.S. and the U.K. signed it, as did the E.U.",
    "Jan Koum co-founded WhatsApp with Brian Acton.",
    "He wrote, she edited; they argued (briefly) and moved on!",
    "Who knows what the WHO will say?",
    "The café in Zürich serves crème brûlée.",
    "“Stop,” she said — and he did…",
    "ISIS and NATO and the FBI were named.",
    "No one came, no matter what.",
    "An IV drip was attached.",
]


@pytest.mark.parametrize(("text", "expected"), NEWS)
def test_english_news_sentences(text: str, expected: str) -> None:
    assert normalize_sentence(text) == expected


@pytest.mark.parametrize("text", UNTOUCHED)
def test_plain_prose_is_untouched(text: str) -> None:
    assert normalize_sentence(text) == text


@pytest.mark.parametrize(("text", "_expected"), NEWS)
def test_english_output_has_no_digits_or_symbols(text: str, _expected: str) -> None:
    spoken = normalize_sentence(text)
    assert not re.search(r"[\d$€£¥%&@#/°½]", spoken), spoken


# --- other languages ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        (
            "Le 3 mai, 2,5 % des 2 300 votants 🎉",
            "fr",
            "Le trois mai, deux virgule cinq pour cent des deux mille trois cents votants",
        ),
        ("en 1990", "fr", "en mille neuf cent quatre-vingt-dix"),
        (
            "Im Jahr 1990 kamen 2.300 Menschen",
            "de",
            "Im Jahr neunzehnhundertneunzig kamen zweitausenddreihundert Menschen",
        ),
        ("3,5 Prozent und 1 Frau", "de", "drei Komma fünf Prozent und 1 Frau"),
        ("Müller & Söhne ™", "de", "Müller und Söhne"),
        ("Siehe https://www.spiegel.de/politik/x.html", "de", "Siehe spiegel Punkt de"),
        ("Escribe a ana@ejemplo.es", "es", "Escribe a ana arroba ejemplo punto es"),
        ("El 15 % de 200", "es-MX", "El quince por ciento de doscientos"),
        ("Zie example.com 👍", "xx", "Zie example.com"),
        ("42 and $5 stay", "xx", "42 and $5 stay"),
        ("Dr. Smith in 2023", "de", "Dr. Smith in zweitausenddreiundzwanzig"),
    ],
)
def test_other_languages_get_language_independent_rules(
    text: str, language: str, expected: str
) -> None:
    assert normalize_sentence(text, language=language) == expected


def test_english_tags_share_english_rules() -> None:
    assert rules_for("en") is EN_RULES
    assert rules_for("en_US") is EN_RULES
    assert rules_for("fr") is not EN_RULES
    # Outside the US all-number dates are day first (issue 13); nothing else differs.
    british = rules_for("en-GB")
    assert len(british) == len(EN_RULES)
    differing = [(a, b) for a, b in zip(british, EN_RULES, strict=True) if a is not b]
    assert [b for _, b in differing] == [expand_numeric_dates]
    assert rules_for("en_gb") is british and rules_for("en-IN") is british


def test_rules_can_be_replaced() -> None:
    def shout(text: str) -> str:
        return text.upper()

    assert normalize_sentence("Dr. Smith paid $5", rules=(shout,)) == "DR. SMITH PAID $5"
    assert normalize_sentence("Dr. Smith paid $5", rules=()) == "Dr. Smith paid $5"
    custom = (*EN_RULES[:-2], tidy_spaces)
    assert normalize_sentence("paid $5", rules=custom) == "paid 5 dollars"


def test_rules_are_pure_functions_of_text() -> None:
    sentence = "On Jan. 5, 2024, Dr. Smith paid $3.50 (12%) at 10:30 a.m."
    assert normalize_sentence(sentence) == normalize_sentence(sentence)
    for rule in EN_RULES:
        assert isinstance(rule(sentence), str)


@pytest.mark.parametrize("language", ["es", "en", "fr", "de", "pt", "it"])
def test_a_number_too_large_for_words_is_read_digit_by_digit(language: str) -> None:
    # Found by hypothesis: num2words refuses Spanish numbers from 10**27 up.
    spoken = normalize_sentence("1" + "0" * 40, language)
    assert spoken and not any(c.isdigit() for c in spoken)


def test_a_part_that_ran_on_into_a_dropped_part_ends_its_sentence() -> None:
    quote = Sentence('"We stay,"', "We stay,", QUOTE, runs_on=True)
    tail = Sentence("🎉", "🎉")  # the sentence's last part: nothing to say once emoji go
    paragraph = (quote, tail, Sentence.of("Next."))
    article = Article("T", (Section(0, "T", (paragraph,)),))
    said = normalize_article(article, normalize_sentence).sections[0]
    assert [(s.spoken, s.runs_on) for s in said.sentences] == [
        ("We stay,", False),
        ("Next.", False),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # temperatures without a degree sign, and what is no temperature
        ("roast at 220C", "roast at two hundred and twenty degrees Celsius"),
        ("a low of -8C tonight", "a low of minus eight degrees Celsius tonight"),
        (
            "Madrid 31C, Lisbon 27C",
            "Madrid thirty-one degrees Celsius, Lisbon twenty-seven degrees Celsius",
        ),
        ("highs of 85-90F", "highs of eighty-five to ninety degrees Fahrenheit"),
        ("3C warmer than usual", "three degrees Celsius warmer than usual"),
        ("Flat 6C, seat 14F", "Flat six C, seat fourteen F"),
        ("add 3C sugar", "add three C sugar"),
        ("take Vitamin C daily", "take Vitamin C daily"),
        # picture lines
        ("a 480p stream", "a four eighty p stream"),
        ("shot in 2160p", "shot in twenty-one sixty p"),
        # tennis sets, records, batting averages
        (
            "beat Nadal 7-5, 6-7 (4-7), 6-2",
            "beat Nadal seven five, six seven (four seven), six two",
        ),
        ("a 9-3 record", "a nine and three record"),
        ("the Jets went 4-13", "the Jets went four and thirteen"),
        ("(11-2, 7-1 ACC)", "(eleven and two, seven and one ACC)"),
        ("batting .318", "batting three eighteen"),
        ("United went 3-0 up", "United went three to zero up"),
        ("won 2-1", "won two to one"),
        # blood pressure, clock times, ratios
        ("blood pressure of 130/85", "blood pressure of one thirty over eighty-five"),
        ("half of 3/4 cup", "half of three quarters cup"),
        ("at 00:15", "at twelve fifteen AM"),
        ("until 00:00", "until midnight"),
        ("at 10:22:05 a.m.", "at ten twenty-two and five seconds AM."),
        ("a 1:24 scale car", "a one to twenty-four scale car"),
        # units, labels and model numbers
        ("a 12MP sensor at 30fps", "a twelve megapixel sensor at thirty frames per second"),
        ("only 1 MP voted against", "only one MP voted against"),
        ("400 mcg of folic acid", "four hundred micrograms of folic acid"),
        ("raised rates 50 bps", "raised rates fifty basis points"),
        ("read at 250 MB/s", "read at two hundred and fifty megabytes per second"),
        ("she is 1.68m tall", "she is one point six eight meters tall"),
        ("a 3.2m budget", "a three point two million budget"),
        (
            "at 48.85° N, 2.35° E",
            "at forty-eight point eight five degrees north, two point three five degrees east",
        ),
        ("took 3h 15m", "took three hours fifteen minutes"),
        ("FY2026 outlook", "fiscal year twenty twenty-six outlook"),
        ("Apt 7 and P.O. Box 88", "apartment seven and P O Box eighty-eight"),
        ("an Airbus A380", "an Airbus A three eighty"),
        ("a Porsche 911 Turbo; dial 911", "a Porsche nine eleven Turbo; dial nine one one"),
        ("a 457(b) plan", "a four fifty-seven b plan"),
        ("Form 1040 and Article 112", "Form ten forty and Article one twelve"),
        ("the RTX 3080", "the RTX thirty eighty"),
        ("revenue up 9% QoQ", "revenue up nine percent quarter over quarter"),
        ("leagues for the over-40s", "leagues for the over-forties"),
        ("a 4TB HDD", "a four terabyte HDD"),
        ('a 55" TV and a 10.9" tablet', "a fifty-five-inch TV and a ten point nine-inch tablet"),
        ('he said "back in 5" and left', 'he said "back in five" and left'),
    ],
)
def test_news_forms_spoken(text: str, expected: str) -> None:
    assert normalize_sentence(text) == expected
