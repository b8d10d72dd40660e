"""Benchmark: how often English normalization says a written form the expected way.

Run from the repository root::

    python bench/normalize.py [--root CHECKOUT] [--show-misses]

The suite below is a list of (kind, written, spoken) triples in the shape of a
standard text-normalization evaluation: dates, money, measures (units, ranges and
arithmetic), addresses, telephone numbers, times, ordinals, fractions and codes.
It is written for this benchmark and kept apart from the unit-test tables in
``tests/test_normalize.py`` (no row is shared), so it says how the rules do on
cases they were not written against.

Comparison is lenient, as such evaluations are: case, hyphens, punctuation and the
word "and" are ignored ("one hundred and five" is "one hundred five"). The script
prints the share right per kind and overall, and the score of doing nothing at all
(the written form itself). ``--fresh`` scores a second, smaller list written after the
rules were (see ``FRESH``). ``--root`` imports ``audiogen`` from another checkout
(for example an export of ``main``) to measure the code before a change.

A benchmark to read, not a test: it exits 0 whatever the figures.
"""

from __future__ import annotations

import argparse
import importlib
import re
import sys
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

# fmt: off
SUITE: list[tuple[str, str, str]] = [
    # dates
    ("date", "It opens March 3.", "It opens March third."),
    ("date", "on March 3, 2021", "on March third twenty twenty-one"),
    ("date", "born 4 June 2019", "born the fourth of June twenty nineteen"),
    ("date", "June 4, 2019", "June fourth twenty nineteen"),
    ("date", "by Jan. 15", "by January fifteenth"),
    ("date", "FEB. 3", "February third"),
    ("date", "on Sept. 12, 2001", "on September twelfth two thousand one"),
    ("date", "dated 3/14/07", "dated March fourteenth two thousand seven"),
    ("date", "on 12/25/2020", "on December twenty-fifth twenty twenty"),
    ("date", "filed 2019/06/04", "filed June fourth twenty nineteen"),
    ("date", "due 2024-01-05", "due January fifth twenty twenty-four"),
    ("date", "signed 04.06.2019", "signed the fourth of June twenty nineteen"),
    ("date", "the 1950s-1970s", "the nineteen fifties to nineteen seventies"),
    ("date", "in the mid-90s", "in the mid nineties"),
    ("date", "the '80s", "the eighties"),
    ("date", "the 1990s", "the nineteen nineties"),
    ("date", "in the 2000s", "in the two thousands"),
    ("date", "May 10-12", "May tenth to twelfth"),
    ("date", "Dec. 31, 1999", "December thirty-first nineteen ninety-nine"),
    ("date", "on 25 December", "on the twenty-fifth of December"),
    ("date", "the 1st of May", "the first of May"),
    ("date", "July 4th", "July fourth"),
    ("date", "OCT 7", "October seventh"),
    ("date", "Aug 2", "August second"),
    ("date", "in 1066", "in ten sixty-six"),
    ("date", "on 27/01/2021", "on the twenty-seventh of January twenty twenty-one"),
    ("date", "Nov. 2022", "November twenty twenty-two"),
    ("date", "30 Apr 2020", "the thirtieth of April twenty twenty"),
    ("date", "from 1939 to 1945", "from nineteen thirty-nine to nineteen forty-five"),
    ("date", "the early 2010s", "the early twenty tens"),
    # money
    ("money", "$5", "five dollars"),
    ("money", "just $.05", "just five cents"),
    ("money", "$1.125 a share", "one point one two five dollars a share"),
    ("money", "US$20", "twenty US dollars"),
    ("money", "C$10", "ten Canadian dollars"),
    ("money", "A$3.50", "three Australian dollars fifty cents"),
    ("money", "NZ$100", "one hundred New Zealand dollars"),
    ("money", "HK$2 million", "two million Hong Kong dollars"),
    ("money", "¥40B", "forty billion yen"),
    ("money", "$3.5M", "three point five million dollars"),
    ("money", "£2bn", "two billion pounds"),
    ("money", "$10k", "ten thousand dollars"),
    ("money", "£3.40", "three pounds forty"),
    ("money", "€1.50", "one euro fifty cents"),
    ("money", "$0.99", "ninety-nine cents"),
    ("money", "$1,250", "one thousand two hundred fifty dollars"),
    ("money", "$3.50", "three dollars fifty cents"),
    ("money", "£0.50", "fifty pence"),
    ("money", "€25-€40", "twenty-five to forty euros"),
    ("money", "$5-10 million", "five to ten million dollars"),
    ("money", "$1.01", "one dollar one cent"),
    ("money", "₹500", "five hundred rupees"),
    ("money", "¥1,000", "one thousand yen"),
    ("money", "20€", "twenty euros"),
    ("money", "$2.5 trillion", "two point five trillion dollars"),
    ("money", "£1", "one pound"),
    ("money", "$120k/year", "one hundred twenty thousand dollars per year"),
    ("money", "A$1.2bn", "one point two billion Australian dollars"),
    ("money", "€0.05", "five cents"),
    # measures: units, ranges, arithmetic
    ("measure", "3-7kg", "three to seven kilograms"),
    ("measure", "10-12 years", "ten to twelve years"),
    ("measure", "pages 10–20", "pages ten to twenty"),
    ("measure", "90 km/h", "ninety kilometers per hour"),
    ("measure", "5 mg/kg", "five milligrams per kilogram"),
    ("measure", "9.8 m/s", "nine point eight meters per second"),
    ("measure", "3.2 kWh", "three point two kilowatt hours"),
    ("measure", "7 - 2 = 5", "seven minus two equals five"),
    ("measure", "2 + 2 = 4", "two plus two equals four"),
    ("measure", "3 x 4 = 12", "three times four equals twelve"),
    ("measure", "6 × 7 = 42", "six times seven equals forty-two"),
    ("measure", "5%", "five percent"),
    ("measure", "12.5%", "twelve point five percent"),
    ("measure", "100 km", "one hundred kilometers"),
    ("measure", "2.5 cm", "two point five centimeters"),
    ("measure", "500 mL", "five hundred milliliters"),
    ("measure", "-5°C", "minus five degrees Celsius"),
    ("measure", "72°F", "seventy-two degrees Fahrenheit"),
    ("measure", "3 mph", "three miles per hour"),
    ("measure", "64GB", "sixty-four gigabytes"),
    ("measure", "1.5 L", "one point five liters"),
    ("measure", "30 min", "thirty minutes"),
    ("measure", "1-2 tsp", "one to two teaspoons"),
    ("measure", "10 mi", "ten miles"),
    ("measure", "8 oz", "eight ounces"),
    ("measure", "40 sq ft", "forty square feet"),
    ("measure", "10 - 3", "ten minus three"),
    ("measure", "a 5-4 vote", "a five to four vote"),
    ("measure", "50 mg/L", "fifty milligrams per liter"),
    ("measure", "1,000 MW", "one thousand megawatts"),
    ("measure", "20-25 °C", "twenty to twenty-five degrees Celsius"),
    ("measure", "8 - 3 = 5", "eight minus three equals five"),
    ("measure", "4 + 5", "four plus five"),
    ("measure", "15 km/h", "fifteen kilometers per hour"),
    ("measure", "0.5 mg", "zero point five milligrams"),
    # addresses
    ("address", "1428 Elm St.", "fourteen twenty-eight Elm Street."),
    ("address", "221B Baker Street", "two twenty-one B Baker Street"),
    ("address", "100 Main St", "one hundred Main Street"),
    ("address", "350 Fifth Ave", "three fifty Fifth Avenue"),
    ("address", "1600 Pennsylvania Ave NW", "sixteen hundred Pennsylvania Avenue Northwest"),
    ("address", "12 N Main St", "twelve North Main Street"),
    ("address", "500 S. Grand Blvd", "five hundred South Grand Boulevard"),
    ("address", "in Austin, TX", "in Austin, Texas"),
    ("address", "Austin, TX 78701", "Austin, Texas seven eight seven zero one"),
    ("address", "4059 Mt Lee Dr", "forty fifty-nine Mount Lee Drive"),
    ("address", "9 Jefferson Expy", "nine Jefferson Expressway"),
    ("address", "77 Garden State Pkwy", "seventy-seven Garden State Parkway"),
    ("address", "10 Downing St", "ten Downing Street"),
    ("address", "250 Oak Rd", "two fifty Oak Road"),
    ("address", "31 Spooner Ln", "thirty-one Spooner Lane"),
    ("address", "Portland, OR 97201", "Portland, Oregon nine seven two zero one"),
    ("address", "New York, NY 10001", "New York, New York one zero zero zero one"),
    ("address", "Springfield, IL", "Springfield, Illinois"),
    ("address", "2 E 42nd St", "two East forty-second Street"),
    ("address", "5 W. 5th Ave.", "five West fifth Avenue."),
    ("address", "742 Evergreen Terrace", "seven forty-two Evergreen Terrace"),
    ("address", "Seattle, WA 98101-1234", "Seattle, Washington nine eight one zero one, one two three four"),
    ("address", "88 Colin P Kelly Jr St", "eighty-eight Colin P Kelly Junior Street"),
    ("address", "3900 Ocean Hwy", "thirty-nine hundred Ocean Highway"),
    # telephone numbers
    ("phone", "+1 (555) 123-4567", "plus one, five five five, one two three, four five six seven"),
    ("phone", "555.123.4567", "five five five, one two three, four five six seven"),
    ("phone", "555-123-4567", "five five five, one two three, four five six seven"),
    ("phone", "+44 20 7946 0958", "plus four four, two zero, seven nine four six, zero nine five eight"),
    ("phone", "(020) 7946 0958", "zero two zero, seven nine four six, zero nine five eight"),
    ("phone", "1-800-555-0199", "one, eight zero zero, five five five, zero one nine nine"),
    ("phone", "(202) 555-0143", "two zero two, five five five, zero one four three"),
    ("phone", "call 555-1234", "call five five five, one two three four"),
    ("phone", "+33 1 42 68 53 00", "plus three three, one, four two, six eight, five three, zero zero"),
    ("phone", "+1-202-555-0143", "plus one, two zero two, five five five, zero one four three"),
    ("phone", "call 911", "call nine one one"),
    ("phone", "+49 30 123456", "plus four nine, three zero, one two three four five six"),
    ("phone", "tel. 212.555.0187", "tel. two one two, five five five, zero one eight seven"),
    ("phone", "(415) 555 2671", "four one five, five five five, two six seven one"),
    # times
    ("time", "at 10:30 a.m.", "at ten thirty a.m."),
    ("time", "by 3 p.m.", "by three p.m."),
    ("time", "open 9am-5 pm", "open nine a.m. to five p.m."),
    ("time", "at 14:00", "at fourteen hundred"),
    ("time", "at 9:05", "at nine oh five"),
    ("time", "12:00 PM", "twelve p.m."),
    ("time", "at 7.30pm", "at seven thirty p.m."),
    ("time", "6:45 PM ET", "six forty-five p.m. Eastern time"),
    ("time", "ran 1:23:45", "ran one hour twenty-three minutes forty-five seconds"),
    ("time", "at 10am", "at ten a.m."),
    ("time", "11:15", "eleven fifteen"),
    ("time", "at 8:00", "at eight o'clock"),
    ("time", "5-6pm", "five to six p.m."),
    ("time", "9:30-10:45 a.m.", "nine thirty to ten forty-five a.m."),
    ("time", "from 8 a.m. to 4 p.m.", "from eight a.m. to four p.m."),
    # ordinals
    ("ordinal", "the 21st century", "the twenty-first century"),
    ("ordinal", "his 3rd try", "his third try"),
    ("ordinal", "the 111th Congress", "the one hundred eleventh Congress"),
    ("ordinal", "on the 2nd floor", "on the second floor"),
    ("ordinal", "the 50th anniversary", "the fiftieth anniversary"),
    ("ordinal", "the 13th", "the thirteenth"),
    ("ordinal", "the 1000th visitor", "the one thousandth visitor"),
    ("ordinal", "on the 31st", "on the thirty-first"),
    ("ordinal", "the 12th man", "the twelfth man"),
    ("ordinal", "his 22nd birthday", "his twenty-second birthday"),
    ("ordinal", "the 101st Airborne", "the one hundred first Airborne"),
    ("ordinal", "the 4TH round", "the fourth round"),
    # fractions
    ("fraction", "3/4 cup", "three quarters cup"),
    ("fraction", "2 1/2 miles", "two and a half miles"),
    ("fraction", "½ teaspoon", "one half teaspoon"),
    ("fraction", "1/3 of voters", "one third of voters"),
    ("fraction", "a 2/3 majority", "a two thirds majority"),
    ("fraction", "1 3/4 inches", "one and three quarters inches"),
    ("fraction", "5/8 inch", "five eighths inch"),
    ("fraction", "¼ mile", "one quarter mile"),
    ("fraction", "1/10 of it", "one tenth of it"),
    ("fraction", "7/16 inch", "seven sixteenths inch"),
    ("fraction", "3½ hours", "three and a half hours"),
    # codes, serials, versions, addresses on the net
    ("code", "ping 10.0.0.1", "ping ten dot zero dot zero dot one"),
    ("code", "192.168.1.1", "one nine two dot one six eight dot one dot one"),
    ("code", "v2.3.1", "version two dot three dot one"),
    ("code", "Python 3.11.7", "Python three dot eleven dot seven"),
    ("code", "code AB1234", "code A B one two three four"),
    ("code", "flight BA287", "flight B A two eight seven"),
    ("code", "A4 paper", "A four paper"),
    ("code", "COVID-19", "COVID nineteen"),
    ("code", "model XJ220", "model X J two two zero"),
    ("code", "room 4B", "room four B"),
    ("code", "the G7 summit", "the G seven summit"),
    ("code", "a B-52", "a B fifty-two"),
    ("code", "an F-16", "an F sixteen"),
    ("code", "version 1.2.10", "version one dot two dot ten"),
    ("code", "gate B12", "gate B twelve"),
]
# fmt: on

# Written after the rules of issue 13 were in place and scored once, untuned: the
# closest thing here to cases the rules have never seen. ``--fresh`` runs these.
# fmt: off
FRESH: list[tuple[str, str, str]] = [
    ("date", "on April 9", "on April ninth"),
    ("date", "9 April 2010", "the ninth of April twenty ten"),
    ("date", "APR. 21, 2016", "April twenty-first twenty sixteen"),
    ("date", "on 11/3/2020", "on November third twenty twenty"),
    ("date", "2021/12/01", "December first twenty twenty-one"),
    ("date", "15.08.1947", "the fifteenth of August nineteen forty-seven"),
    ("date", "the 1920s-30s", "the nineteen twenties to thirties"),
    ("date", "late-60s rock", "late sixties rock"),
    ("date", "Jun 30", "June thirtieth"),
    ("date", "the summer of '69", "the summer of sixty-nine"),
    ("money", "$7.25 an hour", "seven dollars twenty-five cents an hour"),
    ("money", "£20.50", "twenty pounds fifty"),
    ("money", "€3bn", "three billion euros"),
    ("money", "$.99", "ninety-nine cents"),
    ("money", "C$1.5 billion", "one point five billion Canadian dollars"),
    ("money", "$999,999", "nine hundred ninety-nine thousand nine hundred ninety-nine dollars"),
    ("money", "¥120", "one hundred twenty yen"),
    ("money", "$2.50-$3", "two dollars fifty cents to three dollars"),
    ("money", "£5m", "five million pounds"),
    ("money", "US$1.25", "one US dollar twenty-five cents"),
    ("measure", "2-4 cm", "two to four centimeters"),
    ("measure", "120 km/h", "one hundred twenty kilometers per hour"),
    ("measure", "0.5 mg/kg", "zero point five milligrams per kilogram"),
    ("measure", "15 - 6 = 9", "fifteen minus six equals nine"),
    ("measure", "4 × 4 = 16", "four times four equals sixteen"),
    ("measure", "45%", "forty-five percent"),
    ("measure", "100-150 g", "one hundred to one hundred fifty grams"),
    ("measure", "3.5 GHz", "three point five gigahertz"),
    ("measure", "6-8 weeks", "six to eight weeks"),
    ("measure", "25 mph", "twenty-five miles per hour"),
    ("address", "1313 Mockingbird Ln", "thirteen thirteen Mockingbird Lane"),
    ("address", "4 Privet Drive", "four Privet Drive"),
    ("address", "620 W 42nd St", "six twenty West forty-second Street"),
    ("address", "Denver, CO 80202", "Denver, Colorado eight zero two zero two"),
    ("address", "in Albany, NY.", "in Albany, New York."),
    ("address", "1060 W Addison St", "ten sixty West Addison Street"),
    ("address", "55 Water St SE", "fifty-five Water Street Southeast"),
    ("address", "8 Riverside Blvd.", "eight Riverside Boulevard."),
    ("phone", "(312) 555-0175", "three one two, five five five, zero one seven five"),
    ("phone", "+61 2 9374 4000", "plus six one, two, nine three seven four, four zero zero zero"),
    ("phone", "800.555.0100", "eight zero zero, five five five, zero one zero zero"),
    ("phone", "+1 415-555-0132", "plus one, four one five, five five five, zero one three two"),
    ("phone", "0161 496 0000", "zero one six one, four nine six, zero zero zero zero"),
    ("time", "at 6:30 p.m.", "at six thirty p.m."),
    ("time", "8-10pm", "eight to ten p.m."),
    ("time", "7:15 AM PT", "seven fifteen a.m. Pacific time"),
    ("time", "by 11 a.m.", "by eleven a.m."),
    ("time", "10:00-11:30", "ten o'clock to eleven thirty"),
    ("ordinal", "the 19th century", "the nineteenth century"),
    ("ordinal", "her 40th birthday", "her fortieth birthday"),
    ("ordinal", "the 3rd Street bridge", "the third Street bridge"),
    ("ordinal", "the 102nd floor", "the one hundred second floor"),
    ("fraction", "1/4 cup", "one quarter cup"),
    ("fraction", "1 1/3 cups", "one and a third cups"),
    ("fraction", "⅛ inch", "one eighth inch"),
    ("fraction", "3/5 of them", "three fifths of them"),
    ("code", "ping 172.16.0.254", "ping one seven two dot one six dot zero dot two five four"),
    ("code", "v1.0.2", "version one dot zero dot two"),
    ("code", "Node 20.11.1", "Node twenty dot eleven dot one"),
    ("code", "serial XK4471", "serial X K four four seven one"),
    ("code", "flight LH400", "flight L H four zero zero"),
    ("code", "the F-22", "the F twenty-two"),
    ("code", "a USB3 port", "a U S B three port"),
]
# fmt: on


def lenient(text: str) -> str:
    """Case, hyphens, punctuation and the word "and" ignored."""
    text = text.lower().replace("-", " ").replace("–", " ")
    text = re.sub(r"[^\w\s]", "", text)
    return " ".join(word for word in text.split() if word != "and")


def score(
    say: Callable[[str], str], suite: list[tuple[str, str, str]]
) -> dict[str, list[tuple[str, str, str]]]:
    """Each kind's rows, with what ``say`` made of them: kind -> [(written, want, got)]."""
    rows: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
    for kind, written, spoken in suite:
        rows[kind].append((written, spoken, say(written)))
    return rows


def report(rows: dict[str, list[tuple[str, str, str]]], baseline: bool) -> None:
    """Print the share right per kind, overall, and (if asked) the no-op baseline."""
    right_all = total_all = noop_all = 0
    print(f"{'kind':<10} {'cases':>5} {'right':>7} {'no-op':>7}")
    for kind, cases in rows.items():
        right = sum(lenient(got) == lenient(want) for _, want, got in cases)
        noop = sum(lenient(written) == lenient(want) for written, want, _ in cases)
        right_all, total_all, noop_all = right_all + right, total_all + len(cases), noop_all + noop
        print(f"{kind:<10} {len(cases):>5} {right / len(cases):>7.0%} {noop / len(cases):>7.0%}")
    print(
        f"{'overall':<10} {total_all:>5} {right_all / total_all:>7.1%} {noop_all / total_all:>7.1%}"
    )
    if baseline:
        print("(no-op: the written form itself, unchanged)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--root", type=Path, default=Path(__file__).resolve().parent.parent)
    parser.add_argument("--language", default="en")
    parser.add_argument("--show-misses", action="store_true")
    parser.add_argument("--fresh", action="store_true", help="the untuned FRESH list instead")
    options = parser.parse_args()
    sys.path.insert(0, str(options.root.resolve()))
    normalize = importlib.import_module("audiogen.text.normalize")
    print(f"normalizer: {Path(normalize.__file__).resolve()}  language: {options.language}")

    def say(text: str) -> str:
        spoken: str = normalize.normalize_sentence(text, options.language)
        return spoken

    rows = score(say, FRESH if options.fresh else SUITE)
    report(rows, baseline=True)
    if options.show_misses:
        for kind, cases in rows.items():
            for written, want, got in cases:
                if lenient(got) != lenient(want):
                    print(f"  {kind}: {written!r}\n     want {want!r}\n     got  {got!r}")


if __name__ == "__main__":
    main()
