"""Texts and names for the demo data that `python manage.py load_demo` loads.

Everything here is fictional: people, workplaces and submitters' addresses (all at
example.se). The municipalities, their employee counts and the units are realistic so that
the demo looks like Skaraborg. The idea texts are kept as a small plain-text format (parsed
below) because some seventy ideas with five fields each read far better as prose than as
Python literals.
"""

from dataclasses import dataclass

PASSWORD = "sluss-demo-2026"  # noqa: S105 - published demo password, printed by the command
EMAIL_DOMAIN = "demo.sluss.se"
SUBMITTER_DOMAIN = "example.se"

CONSORTIUM_NAME = "Skaraborgs kommunalförbund"
CONSORTIUM_SLUG = "skaraborg"
REFERENCE_PREFIX = "SLU"

# Units (förvaltningar) by area key: name and slug. Every municipality has the first four;
# larger ones also have their own social services and culture and leisure.
UNITS = {
    "kommunledning": ("Kommunledningsförvaltningen", "kommunledning"),
    "vard": ("Vård- och omsorgsförvaltningen", "vard-och-omsorg"),
    "skola": ("Barn- och utbildningsförvaltningen", "barn-och-utbildning"),
    "samhall": ("Samhällsbyggnadsförvaltningen", "samhallsbyggnad"),
    "social": ("Socialförvaltningen", "social"),
    "kultur": ("Kultur- och fritidsförvaltningen", "kultur-och-fritid"),
}
UNIT_ORDER = ["kommunledning", "vard", "skola", "samhall", "social", "kultur"]
# Where an area's ideas go in a municipality without that unit (small municipalities keep
# social services with care, and culture and leisure with education).
AREA_FALLBACK = {"social": "vard", "kultur": "skola"}

# Name, ASCII slug, employees, number of units. The counts sum to 22,500.
MUNICIPALITIES = [
    ("Essunga", "essunga", 480, 4),
    ("Falköping", "falkoping", 3000, 6),
    ("Grästorp", "grastorp", 520, 4),
    ("Gullspång", "gullspang", 500, 4),
    ("Götene", "gotene", 1050, 5),
    ("Hjo", "hjo", 700, 4),
    ("Karlsborg", "karlsborg", 600, 4),
    ("Lidköping", "lidkoping", 3400, 6),
    ("Mariestad", "mariestad", 2100, 6),
    ("Skara", "skara", 1550, 5),
    ("Skövde", "skovde", 4500, 6),
    ("Tibro", "tibro", 900, 5),
    ("Tidaholm", "tidaholm", 1100, 5),
    ("Töreboda", "toreboda", 800, 4),
    ("Vara", "vara", 1300, 5),
]

# One idea coach per municipality (coach.<slug>@demo.sluss.se).
COACHES = {
    "essunga": "Annika Sjöberg",
    "falkoping": "Magnus Ekström",
    "grastorp": "Lena Fransson",
    "gullspang": "Per Åberg",
    "gotene": "Helena Wikström",
    "hjo": "Jonas Strand",
    "karlsborg": "Camilla Hedlund",
    "lidkoping": "Fredrik Nordin",
    "mariestad": "Sofia Lindahl",
    "skara": "Emma Berglund",
    "skovde": "Cecilia Wallin",
    "tibro": "Mikael Öberg",
    "tidaholm": "Ulrika Sandberg",
    "toreboda": "Tobias Lundgren",
    "vara": "Malin Engström",
}


@dataclass(frozen=True)
class DemoPerson:
    """A demo login. `role` is None for an ordinary employee; `where` is an area key of a
    unit of `municipality` for managers."""

    local_part: str
    full_name: str
    role: str | None
    label: str
    municipality: str = ""
    where: str = ""


CENTRAL_PEOPLE = [
    DemoPerson("processledare1", "Karin Bergström", "process_leader", "process leader"),
    DemoPerson("processledare2", "Johan Ekdahl", "process_leader", "process leader"),
    DemoPerson("kommunikator", "Sara Holmqvist", "communicator", "communicator"),
    DemoPerson("admin", "Anders Nyberg", "administrator", "administrator"),
    DemoPerson(
        "chef.skovde",
        "Maria Lund",
        "manager",
        "manager, Vård- och omsorgsförvaltningen Skövde",
        municipality="skovde",
        where="vard",
    ),
    DemoPerson(
        "medarbetare",
        "Elin Svensson",
        None,
        "employee, no role (Skövde)",
        municipality="skovde",
    ),
]

TAGS = [
    "Digitalisering",
    "Välfärdsteknik",
    "Hållbarhet",
    "Skola",
    "Äldreomsorg",
    "Barn och unga",
    "Psykisk hälsa",
    "Tillgänglighet",
    "Kompetensförsörjning",
    "Effektivisering",
    "Folkhälsa",
    "Arbetsmiljö",
    "Kommersiell potential",
    "Integration",
    "Trygghet",
    "Samverkan",
]

# Submitters: fictional names, combined at random; addresses at example.se.
FIRST_NAMES = [
    "Anna", "Maria", "Karin", "Sara", "Emma", "Lena", "Eva", "Kristina", "Johanna",
    "Linda", "Elin", "Ida", "Hanna", "Frida", "Jenny", "Therese", "Amanda", "Lisa", "Maja",
    "Susanne", "Marie", "Åsa", "Ingrid", "Birgitta", "Nadia", "Amira", "Fatima", "Leila",
    "Zeynep", "Erik", "Lars", "Anders", "Johan", "Karl", "Peter", "Daniel", "Mattias",
    "Henrik", "Stefan", "Martin", "Niklas", "Oskar", "Viktor", "Gustav", "Simon", "Björn",
    "Ahmed", "Mohammed", "Ali", "Dragan", "Tomas", "Ola", "Jan", "Robin", "Linnea", "Alva",
]  # fmt: skip
LAST_NAMES = [
    "Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson",
    "Persson", "Gustafsson", "Pettersson", "Jonsson", "Hansson", "Bengtsson", "Lindberg",
    "Jakobsson", "Magnusson", "Lindström", "Olofsson", "Lindqvist", "Axelsson", "Lundberg",
    "Berg", "Mattsson", "Forsberg", "Sjögren", "Danielsson", "Håkansson", "Holm",
    "Samuelsson", "Hassan", "Ahmadi", "Kovačević", "Nguyen", "Yilmaz", "Claesson", "Ek",
    "Strömberg", "Blom", "Isaksson", "Falk",
]  # fmt: skip

# Swedish numbers 070-174 06 05 … 070-174 06 99 are reserved for fiction.
FICTIONAL_PHONE = "070-174 06 {:02d}"

# Workplaces by area, for the optional workplace field and the text variations.
WORKPLACES = {
    "vard": [
        "Solgårdens äldreboende",
        "hemtjänsten i centrum",
        "hemtjänsten norra",
        "Björkängens demensboende",
        "korttidsboendet",
        "kommunrehab",
        "nattpatrullen",
        "Lindgårdens särskilda boende",
        "hemsjukvården",
    ],
    "skola": [
        "Västerskolan",
        "Ekbackens förskola",
        "Centralskolan 7–9",
        "Solrosens förskola",
        "Kyrkskolan F–6",
        "elevhälsan",
        "skolrestaurangen",
    ],
    "social": [
        "individ- och familjeomsorgen",
        "ekonomiskt bistånd",
        "familjecentralen",
        "boendestödet",
        "öppenvården",
        "barn- och ungdomsenheten",
    ],
    "kultur": [
        "huvudbiblioteket",
        "fritidsgården",
        "kulturskolan",
        "biblioteksfilialen",
        "fritidsenheten",
    ],
    "samhall": [
        "gatuenheten",
        "parkenheten",
        "fastighetsavdelningen",
        "bygglovsenheten",
        "kostenheten",
        "miljöenheten",
    ],
    "kommunledning": [
        "IT-avdelningen",
        "ekonomiavdelningen",
        "HR-avdelningen",
        "kontaktcenter",
        "kansliet",
        "löneenheten",
    ],
}

# Sentences added to a base idea's need and solution so that copies of it from different
# workplaces read like separate submissions.
NEED_ADDITIONS = [
    "Vi på {workplace} märker det här varje vecka.",
    "På {workplace} har vi pratat om det här länge.",
    "Flera kollegor på {workplace} har tagit upp samma sak på arbetsplatsträffar.",
    "Det här blir extra tydligt hos oss på {workplace}.",
]
SOLUTION_ADDITIONS = [
    "Vi testar gärna i liten skala på {workplace} först.",
    "Jag har pratat med min chef, som är positiv till ett test.",
    "Det finns säkert kommuner som redan gjort något liknande som vi kan lära av.",
    "Vi behöver hjälp med att ta reda på vad det skulle kosta.",
]

# Reasons the submitter is told when an idea is closed, parked or handed over.
CLOSE_REASONS_EARLY = [
    "Idén ligger utanför det kommunen kan påverka. Vi har tipsat om vart du kan vända dig "
    "i stället.",
    "En liknande lösning finns redan i kommunen. Vi har kopplat ihop dig med dem som "
    "arbetar med den.",
    "Idén drivs redan i en annan kommun i Skaraborg, så vi följer det arbetet i stället för "
    "att starta ett eget.",
    "Sekretessreglerna gör att lösningen inte går att genomföra i den här formen.",
]
CLOSE_REASONS_LATE = [
    "Efter bedömningen ser vi att kostnaden är för hög i förhållande till den nytta vi kan "
    "visa i dag.",
    "Testet visade inte den effekt vi hoppades på. Tack för ett väl genomfört arbete – "
    "lärdomarna finns dokumenterade på idén.",
    "Leverantören kunde inte uppfylla kraven på informationssäkerhet, och någon annan "
    "lösning finns inte i dag.",
]
PARK_REASONS = [
    "Vilande i väntan på att budgeten för nästa år är beslutad.",
    "Vi väntar in upphandlingen av nytt verksamhetssystem, som påverkar hur idén kan genomföras.",
    "Idébäraren är föräldraledig. Vi tar upp idén igen när hen är tillbaka.",
    "Verksamheten kan inte ta emot ett test under omorganisationen. Vi väcker idén i höst.",
    "Tekniken är inte mogen än. Vi bevakar marknaden och återkommer.",
]
HANDOVER_NOTES = [
    "Överlämnad till IT-avdelningen, som tar in lösningen i sin förvaltningsplan.",
    "Överlämnad till en regional affärsrådgivare för stöd kring patent och kommersialisering.",
    "Överlämnad till regionens innovationsstöd, eftersom lösningen berör hälso- och sjukvården.",
    "Överlämnad till förvaltningens ordinarie utvecklingsarbete, som driver den vidare.",
    "Överlämnad till högskolan, som studerar lösningen i ett forskningsprojekt.",
]
WAKE_NOTES = [
    "Väckt igen: budgeten är beslutad och verksamheten vill gå vidare.",
    "Väckt igen: idébäraren är tillbaka och vill fortsätta.",
]
BACK_TO_CAPTURE_NOTES = [
    "Behöver mer underlag om kostnader och målgrupp innan bedömningen.",
]
BACK_TO_ASSESS_NOTES = [
    "Testet behöver göras om i större skala – tillbaka till bedömning.",
]

# Messages and notes. {first} is the submitter's first name, {coach} the sender's name.
FIRST_CONTACT_MESSAGES = [
    "Hej {first}! Tack för din idé. Jag heter {coach} och är idécoach i {municipality}. "
    "Jag skulle gärna vilja träffa dig och höra mer – passar det någon dag nästa vecka?",
    "Hej {first}, vad roligt att du har lämnat in en idé! Jag är idécoach här i "
    "{municipality} och hör av mig för att boka ett första samtal. När passar det dig?",
    "Hej {first}! Din idé har kommit fram och jag är din kontakt framöver. Kan vi ses en "
    "halvtimme och prata om behovet och hur vi går vidare?",
]
SUBMITTER_REPLIES = [
    "Hej! Vad kul att du hör av dig. Tisdag eftermiddag passar bra, jag slutar kl. 15.",
    "Tack! Jag kan ses på torsdag. Får jag ta med en kollega som har varit med och tänkt?",
    "Hej, jag jobbar natt den här veckan men kan ses på måndag förmiddag.",
    "Tack för snabbt svar! Jag har några bilder på hur vi gör i dag som jag kan visa.",
    "Jag har pratat med min chef, hon vill gärna vara med på mötet.",
]
# Updates to the submitter, by the stage the idea is in.
PROGRESS_MESSAGES = {
    "assess": [
        "Hej {first}! Nu går idén vidare till bedömning. Jag återkommer när vi vet mer.",
        "Hej! Vi har fått svar från experterna som har tittat på idén. Kan vi ses och gå "
        "igenom deras synpunkter?",
    ],
    "test": [
        "Hej {first}, testet är igång på två avdelningar. Tack för att du berättar om idén "
        "för kollegorna!",
        "Hej {first}! Vi har bokat ett möte med enhetschefen och IT för att planera testet. "
        "Du får en inbjudan.",
    ],
    "develop": [
        "Hej {first}! Testet föll väl ut och nu utvecklar vi lösningen vidare tillsammans "
        "med en partner. Jag håller dig uppdaterad.",
        "Hej! Två grannkommuner vill vara med i piloten. Vi ses på uppstartsmötet nästa månad.",
    ],
}
SUBMITTER_FOLLOW_UPS = [
    "Hej, jag undrar hur det går med min idé? Jag har inte hört något på ett tag.",
    "Jag har pratat med kollegor i grannkommunen och de har samma problem. De vill gärna vara med.",
    "Hej! Jag hittade en artikel om en kommun som testat något liknande, jag skickar länken "
    "på mejl.",
]
# Internal notes, by stage.
NOTES = {
    "capture": [
        "Första samtalet med idébäraren är gjort. Behovet är tydligt och förankrat hos "
        "enhetschefen.",
        "Kollat liknande idéer i de andra kommunerna. Hittade en närliggande idé – stämmer "
        "av med den coachen.",
        "Behöver ta fram en enkel kostnadskalkyl innan idén kan gå till Pröva.",
        "Bra möte med idébäraren och två kollegor. Vi har formulerat om målgruppen.",
    ],
    "assess": [
        "Två bedömare utsedda. Frågan om informationssäkerhet skickad till IT.",
        "Bedömningen klar: stort behov och god spridbarhet, osäker kostnad.",
        "Enhetschefen är positiv till ett test men vill ta upp det på APT först.",
    ],
    "test": [
        "Nyttohypotes: minskad tid per ärende. Nollmätning gjord före testet.",
        "Pratat med IT om informationssäkerhet. Riskbedömningen är godkänd för testet.",
        "Halvtidsavstämning: personalen är positiv, men rutinen behöver justeras.",
    ],
    "develop": [
        "Offert från två leverantörer inhämtad. Ekonomi tittar på finansieringen.",
        "Idébäraren har bytt tjänst men vill fortsätta vara med i arbetet.",
        "Pilotplanen är klar; tre kommuner deltar.",
    ],
    "spread": [
        "Presenterat lösningen på nätverksträffen för kommunerna. Två visade intresse.",
        "Nyttouppföljning: tidsvinsten håller i sig efter sex månader.",
    ],
}
PHONE_CONTACT_NOTE = "Ringde idébäraren för ett första samtal. Vi ses på arbetsplatsen nästa vecka."


@dataclass(frozen=True)
class BaseIdea:
    """One idea text, and the titles its copies from different municipalities use."""

    key: str
    area: str
    tags: tuple[str, ...]
    titles: tuple[str, ...]
    need: str
    solution: str
    beneficiaries: str
    effects: str


def parse_ideas(text: str) -> list[BaseIdea]:
    """Read the idea format below: a header line `@ key | area | tag, tag`, then
    `field: text` lines (`title` may repeat) whose text continues on indented lines."""
    ideas = []
    for block in text.split("\n@ ")[1:]:
        header, *lines = block.strip("\n").split("\n")
        key, area, tags = (part.strip() for part in header.split("|"))
        fields: dict[str, list[str]] = {}
        last = ""
        for line in lines:
            if not line.strip():
                continue
            if line.startswith(" "):
                fields[last].append(fields[last].pop() + " " + line.strip())
            else:
                last, value = line.split(":", 1)
                fields.setdefault(last, []).append(value.strip())
        ideas.append(
            BaseIdea(
                key=key,
                area=area,
                tags=tuple(t.strip() for t in tags.split(",") if t.strip()),
                titles=tuple(fields["title"]),
                need=fields["need"][0],
                solution=fields["solution"][0],
                beneficiaries=fields["beneficiaries"][0],
                effects=fields["effects"][0],
            )
        )
    return ideas


# The idea that the source description names as an example (DESIGN.md, seed text).
FORALDRARESAN_TEXT = """
@ foraldraresan | social | Psykisk hälsa, Barn och unga, Digitalisering
title: Föräldraresan – ett evidensbaserat tillgängligt stöd
need: Föräldrar önskar mer stöd på webben om psykisk ohälsa bland barn och unga. Många föräldrar
  oroar sig för sina barns mående men vet inte var de ska börja, och väntetiderna till första
  linjens vård är långa. De föräldrautbildningar som finns hålls dagtid och når få.
solution: En webbaserad föräldrautbildning – Föräldraresan – som bygger på evidensbaserade
  metoder och som föräldrar kan gå när det passar dem. Utbildningen består av korta filmer,
  övningar och reflektionsfrågor om oro, nedstämdhet, stress och hur man pratar med sitt barn,
  med möjlighet till digitala gruppträffar med en samtalsledare från familjecentralen eller
  elevhälsan.
beneficiaries: Föräldrar till barn och unga 6–18 år och i förlängningen barnen själva.
  Elevhälsan och socialtjänstens öppna verksamhet får ett verktyg att hänvisa till.
effects: Tidigare stöd till familjer, stärkta föräldrar och minskad belastning på elevhälsan och
  första linjen. Utbildningen kan erbjudas i alla 15 kommuner och översättas till fler språk.
"""

BASE_IDEAS_TEXT = """
@ nattkamera | vard | Välfärdsteknik, Äldreomsorg
title: Digital tillsyn nattetid med kamera
title: Nattkamera i stället för att väcka brukarna
title: Trygg natt med digital tillsyn
need: Nattpatrullen i hemtjänsten gör många tillsynsbesök bara för att se att brukaren sover.
  Besöken väcker ofta personen, som sedan har svårt att somna om, och bilresorna tar tid från de
  brukare som verkligen behöver hjälp på natten.
solution: Erbjud digital tillsyn med en kamera som bara slås på vid bestämda tider och som inte
  spelar in. Nattpersonalen tittar in via en säker app och åker ut bara när något ser fel ut.
  Brukaren och anhöriga väljer själva om de vill ha tjänsten.
beneficiaries: Äldre i ordinärt boende med nattillsyn, deras anhöriga och nattpersonalen i
  hemtjänsten.
effects: Bättre sömn för brukarna, färre onödiga bilresor och mer tid för de besök som behövs.
  Vi räknar med att en tredjedel av tillsynsbesöken kan bli digitala.

@ lakemedelsrobot | vard | Välfärdsteknik, Äldreomsorg
title: Läkemedelsrobot för brukare i hemtjänsten
title: Automatisk läkemedelsdispenser i hemmet
need: Många besök i hemtjänsten handlar bara om att lämna över läkemedel vid rätt tid. Det är
  svårt att hinna till alla på exakt rätt klockslag, och brukaren blir beroende av att
  personalen kommer.
solution: Testa en läkemedelsrobot som ger en signal när det är dags och lämnar ut rätt dos. Om
  dosen inte tas ut går ett larm till hemtjänsten. Apoteket fyller på dosrullarna som vanligt.
beneficiaries: Brukare som klarar att ta sina läkemedel själva med påminnelse, och personalen i
  hemtjänsten.
effects: Färre läkemedelsbesök, större självständighet för brukaren och färre missade doser.

@ ruttplanering | vard | Digitalisering, Äldreomsorg, Effektivisering
title: Smartare planering av hemtjänstens körturer
title: Ruttoptimering i hemtjänsten
need: Planeringen av hemtjänstens turer görs för hand varje morgon och tar en samordnare nästan
  två timmar. När någon är sjuk blir det kaos, och bilarna kör ofta kors och tvärs genom
  kommunen.
solution: Använd ett planeringsverktyg som föreslår turer utifrån adresser, insatser,
  kontinuitet och personalens kompetens. Samordnaren justerar förslaget i stället för att börja
  från noll.
beneficiaries: Samordnare och personal i hemtjänsten, och brukarna som får färre olika personer
  hem till sig.
effects: Kortare planeringstid, färre körda mil och bättre kontinuitet för brukarna.

@ videosamtal-anhoriga | vard | Välfärdsteknik, Äldreomsorg
title: Videosamtal mellan boende och anhöriga
title: Surfplattor för anhörigkontakt på särskilt boende
need: Många boende på våra särskilda boenden har anhöriga som bor långt bort och sällan kan
  komma på besök. Telefonsamtal fungerar dåligt för den som hör illa eller har en demenssjukdom.
solution: Köp in enkla surfplattor med ett förinställt program för videosamtal där anhöriga
  bokar en tid. Personalen hjälper till att starta samtalet och kan vara med om den boende vill.
beneficiaries: Boende på särskilt boende och deras anhöriga.
effects: Minskad ensamhet, tryggare anhöriga och färre oroliga telefonsamtal till avdelningen.

@ sensormatta | vard | Välfärdsteknik, Äldreomsorg
title: Sensormattor som förebygger fallolyckor
title: Fallprevention med sensorer vid sängen
need: Fallolyckor nattetid är den vanligaste orsaken till skador på våra boenden. Personalen
  upptäcker ofta fallet först vid nästa tillsyn, och många boende vill inte ha larmknapp runt
  handleden.
solution: Lägg en tunn sensormatta vid sängen som ger en tyst signal till personalens telefon
  när den boende kliver upp på natten. Personalen hinner då fram och kan hjälpa till innan något
  händer.
beneficiaries: Boende med hög fallrisk och nattpersonalen.
effects: Färre fall och frakturer, färre akuta sjukhusbesök och tryggare nätter.

@ maltidsvanner | vard | Äldreomsorg, Folkhälsa
title: Måltidsvänner – gemensam lunch för ensamma äldre
title: Äta tillsammans i stället för ensam
need: Många äldre som får matdistribution äter ensamma framför tv:n och äter för lite.
  Undernäring och ensamhet hänger ihop, och det syns i våra riskbedömningar.
solution: Starta måltidsvänner där äldre som vill äter lunch tillsammans två dagar i veckan på
  en träffpunkt, med skjuts dit. Frivilliga och pensionärsföreningar är värdar.
beneficiaries: Äldre som får matdistribution eller bor ensamma.
effects: Bättre näringsintag, minskad ensamhet och nya kontakter mellan äldre i kommunen.

@ digitala-las | vard | Välfärdsteknik, Digitalisering
title: Digitala lås i stället för nycklar i hemtjänsten
title: Nyckelfri hemtjänst
need: Personalen i hemtjänsten hanterar hundratals fysiska nycklar. Nycklar försvinner, skåpen
  är fulla och det tar tid att hämta och lämna nycklar före och efter varje pass.
solution: Inför digitala lås som öppnas med personalens mobil och som loggar vem som öppnat och
  när. Brukaren behåller sina vanliga nycklar.
beneficiaries: Personal i hemtjänsten och brukare som vill känna sig trygga med vem som kommer in.
effects: Mindre tid på nyckelhantering, spårbarhet och inga borttappade nycklar.

@ vr-demens | vard | Välfärdsteknik, Äldreomsorg
title: VR-upplevelser för personer med demens
title: Virtuella resor på demensboendet
need: Personer med demenssjukdom blir ofta oroliga på eftermiddagen, och det finns få
  aktiviteter som fungerar för dem som inte längre kan gå ut.
solution: Testa VR-glasögon med lugna filmer från platser som de boende känner igen, till
  exempel Vättern, Kinnekulle eller en sommaräng. Personalen sitter bredvid och pratar om det
  man ser.
beneficiaries: Boende med demenssjukdom och personalen på demensboenden.
effects: Lugnare eftermiddagar, mindre behov av lugnande läkemedel och nya samtalsämnen.

@ hjalpmedelsaterbruk | vard | Hållbarhet, Äldreomsorg, Samverkan
title: Återbruk av hjälpmedel mellan kommunerna
title: Gemensam hjälpmedelsbank i Skaraborg
need: Rollatorer, duschstolar och andra hjälpmedel blir stående i förråd när de inte behövs,
  medan grannkommunen köper nytt. Ingen har överblick över vad som finns.
solution: Skapa en gemensam förteckning över hjälpmedel som kan lånas ut mellan kommunerna, med
  en enkel rutin för rengöring och transport.
beneficiaries: Arbetsterapeuter, hjälpmedelsförråd och brukare som snabbare får sitt hjälpmedel.
effects: Lägre inköpskostnader, mindre avfall och kortare väntetid på hjälpmedel.

@ vikarie-intro-film | vard | Kompetensförsörjning, Äldreomsorg
title: Korta introduktionsfilmer för nya vikarier
title: Introduktion i mobilen för sommarvikarier
need: Varje sommar tar vi emot många nya vikarier som får en kort och stressig introduktion.
  Många har svenska som andraspråk, och det är svårt att ta in allt muntligt.
solution: Spela in korta filmer om de vanligaste momenten, som förflyttningar, hygienrutiner och
  dokumentation, med textning på flera språk. Vikarien får en länk till mobilen redan före
  första passet.
beneficiaries: Nya vikarier, handledare och brukare som möter personal som vet vad de ska göra.
effects: Tryggare vikarier, färre avvikelser under sommaren och mindre tid för handledning.

@ interaktiva-djur | vard | Välfärdsteknik, Äldreomsorg
title: Interaktiva sällskapsdjur i demensvården
title: Robotkatt som lugnar och väcker minnen
need: Många boende har haft husdjur hela livet och saknar dem. Riktiga djur går sällan att ha på
  boendet på grund av allergier och skötsel.
solution: Låna ut interaktiva robotkatter och robothundar som spinner och reagerar på beröring.
  Personalen provar ut vilka boende som uppskattar dem.
beneficiaries: Boende med demenssjukdom och deras anhöriga.
effects: Lugn och glädje i vardagen, färre oroliga perioder och ett naturligt samtalsämne vid besök.

@ distansmonitorering | vard | Välfärdsteknik, Digitalisering
title: Egenmätning hemma med digitala vårdmöten
title: Distansmonitorering för personer med kroniska sjukdomar
need: Sjuksköterskorna åker långa sträckor för att ta blodtryck och väga brukare med hjärtsvikt.
  Mätningarna görs för sällan för att upptäcka försämringar i tid.
solution: Ge brukarna en enkel våg och blodtrycksmätare som skickar värdena till sjuksköterskan.
  Sjuksköterskan följer värdena och ringer upp vid avvikelser, och besök görs när de behövs.
beneficiaries: Brukare med hjärtsvikt, KOL eller diabetes och kommunens sjuksköterskor.
effects: Färre akuta inläggningar, tryggare brukare och mindre tid i bilen för sjuksköterskorna.

@ vardagsrehab | vard | Äldreomsorg, Välfärdsteknik
title: Vardagsträning med surfplatta för äldre
title: Digitala träningsprogram i vardagsrehabiliteringen
need: Efter en sjukhusvistelse behöver många äldre träna för att klara vardagen igen, men
  fysioterapeuten hinner bara komma en gång i veckan.
solution: Fysioterapeuten lägger in korta träningsfilmer i en surfplatta som brukaren får låna.
  Hemtjänsten uppmuntrar, och brukaren bockar av övningarna.
beneficiaries: Äldre som kommer hem efter sjukhusvistelse, fysioterapeuter och hemtjänsten.
effects: Snabbare återhämtning, mindre behov av hemtjänst på sikt och större självständighet.

@ mobil-dokumentation | vard | Digitalisering, Effektivisering
title: Dokumentera direkt i mobilen hos brukaren
title: Mobil dokumentation i hemtjänsten
need: Personalen sparar dokumentationen till slutet av passet och sitter då i kö vid de två
  datorerna på kontoret. Mycket glöms bort och övertiden ökar.
solution: Låt personalen dokumentera med röst eller text i mobilen direkt efter besöket, i det
  verksamhetssystem vi redan har.
beneficiaries: Personal i hemtjänsten och deras chefer.
effects: Bättre dokumentation, mindre övertid och mer aktuell information till nästa pass.

@ elcyklar-hemtjanst | vard | Hållbarhet, Äldreomsorg, Folkhälsa
title: Elcyklar för hemtjänsten i tätorten
title: Cykla i stället för att köra bil mellan brukarna
need: Hemtjänsten i centralorten kör korta sträckor mellan brukarna och lägger mycket tid på att
  leta parkering.
solution: Köp in elcyklar med väskor till hemtjänstgrupperna i tätorten och låt personalen välja
  cykel när vädret tillåter.
beneficiaries: Personalen i hemtjänsten.
effects: Kortare restider, lägre bilkostnader, minskade utsläpp och bättre hälsa för personalen.

@ bildstod | vard | Tillgänglighet
title: Bildstöd på boenden och i daglig verksamhet
title: Tydlig kommunikation med bilder
need: Personer med demens, autism eller intellektuell funktionsnedsättning har svårt att förstå
  muntliga instruktioner och scheman. Det leder till oro och missförstånd.
solution: Inför enhetligt bildstöd för dagsscheman, menyer och rutiner, med en gemensam bildbank
  och utbildning för personalen.
beneficiaries: Boende och deltagare i daglig verksamhet, personalen och anhöriga.
effects: Mindre oro, ökad självständighet och ett bättre bemötande.

@ strumppadragare | vard | Kommersiell potential, Arbetsmiljö
title: Strumppådragare som går att använda med en hand
title: Nytt hjälpmedel för stödstrumpor
need: Att dra på stödstrumpor är ett av de tyngsta momenten i hemtjänsten, och många brukare
  klarar det inte själva. De strumppådragare som finns kräver två händer och bra grepp.
solution: En strumppådragare som jag har tagit fram en prototyp av: den fästs mot golvet och gör
  att strumpan kan dras på med en hand. Jag vill ha hjälp att testa den och ta reda på om den
  kan patenteras.
beneficiaries: Brukare som använder stödstrumpor, personer med nedsatt handfunktion och personalen.
effects: Större självständighet, färre belastningsskador hos personalen och möjlig försäljning
  till andra kommuner och regioner.

@ glidlakan-handtag | vard | Kommersiell potential, Arbetsmiljö
title: Glidlakan med handtag för säkrare förflyttning
title: Förbättrat glidlakan för vändning i säng
need: Vid vändning och förflyttning i säng får personalen ofta dåliga arbetsställningar. Dagens
  glidlakan är hala att greppa och glider undan.
solution: Ett glidlakan med fastsydda handtag i olika höjder, som jag och mina kollegor har
  gjort en första version av. Vi vill testa det på fler avdelningar och se om ett företag vill
  tillverka det.
beneficiaries: Personal i vård och omsorg och sängliggande brukare.
effects: Färre arbetsskador, tryggare förflyttningar och en produkt som kan säljas.

@ laxhjalp-mentorer | skola | Skola, Barn och unga, Digitalisering
title: Digital läxhjälp med gymnasieelever som mentorer
title: Läxhjälp på nätet kvällstid
need: Många elever på högstadiet får ingen hjälp med läxorna hemma. Läxhjälpen på biblioteket
  når få, särskilt elever som bor på landsbygden.
solution: Anställ gymnasieelever som läxhjälpsmentorer som svarar i ett digitalt läxhjälpsrum
  tre kvällar i veckan. Lärarna följer upp vilka ämnen eleverna frågar om.
beneficiaries: Elever i årskurs 7–9 och gymnasieelever som får sitt första jobb.
effects: Fler elever med godkända betyg och mindre skillnader mellan elever med olika
  förutsättningar.

@ uteklassrum | skola | Skola, Hållbarhet
title: Uteklassrum och lådor för utomhuspedagogik
title: Lärande utomhus i alla ämnen
need: Lärare vill undervisa utomhus men saknar material och tid att planera. Eleverna sitter
  stilla en stor del av skoldagen.
solution: Ta fram färdiga lådor med material och lektionsförslag för matematik, svenska och NO
  utomhus, och bygg enkla uteklassrum nära skolorna.
beneficiaries: Elever och lärare i förskoleklass till årskurs 6.
effects: Mer rörelse under skoldagen, bättre koncentration och ökad kunskap om natur och miljö.

@ tidig-franvarosignal | skola | Skola, Barn och unga
title: Tidig signal vid upprepad frånvaro
title: Fånga upp elever som börjar stanna hemma från skolan
need: När en elev har blivit hemmasittare har frånvaron ofta pågått länge utan att någon sett
  mönstret. Frånvaron registreras men ingen följer upp den systematiskt.
solution: Låt frånvarosystemet skicka en signal till mentor och elevhälsa när en elev har
  upprepad ströfrånvaro, med en enkel rutin för vem som kontaktar hemmet inom en vecka.
beneficiaries: Elever i riskzonen för att bli hemmasittare, deras vårdnadshavare och elevhälsan.
effects: Färre elever med långvarig frånvaro och tidigare insatser.

@ matsvinn-skola | skola | Hållbarhet, Skola
title: Eleverna mäter och minskar matsvinnet
title: Svinnmätning i skolrestaurangen
need: Varje dag slängs stora mängder mat i skolrestaurangerna. Eleverna vet inte hur mycket det
  handlar om, och köket vet inte vilka rätter som blir över.
solution: Sätt upp en våg vid tallriksinlämningen och visa dagens svinn på en skärm. Elevrådet
  tar fram mål, och köket använder siffrorna för att planera portionerna.
beneficiaries: Elever, kostpersonal och kommunens ekonomi.
effects: Mindre matsvinn, lägre livsmedelskostnader och elever som lär sig om hållbarhet på riktigt.

@ lasvanner | skola | Skola, Äldreomsorg
title: Läsvänner – äldre läser med barn
title: Högläsning mellan generationer
need: Många barn läser för lite på fritiden, och många äldre saknar meningsfulla sammanhang.
  Förskolor och boenden ligger ofta nära varandra utan att ha någon kontakt.
solution: Para ihop förskolegrupper med boende och frivilliga pensionärer som läser högt en gång
  i veckan, med böcker från biblioteket.
beneficiaries: Barn i förskola och lågstadium, äldre på boenden och frivilliga.
effects: Ökad läslust, bättre språkutveckling och minskad ensamhet bland äldre.

@ vikariepool | skola | Skola, Kompetensförsörjning, Samverkan
title: Gemensam vikariepool för skolorna i Skaraborg
title: Samverkan om lärarvikarier mellan kommunerna
need: Rektorerna lägger mycket tid på att ringa runt efter vikarier varje morgon. Samma vikarier
  finns ofta i flera kommuner, men ingen har överblick.
solution: Bygg en gemensam vikariepool med en bokningstjänst där vikarier anger när de kan
  arbeta och skolorna i alla kommuner bokar.
beneficiaries: Rektorer, lärare, vikarier och elever som slipper inställda lektioner.
effects: Färre inställda lektioner, mindre administration och tryggare anställning för vikarier.

@ talsyntes | skola | Skola, Tillgänglighet, Digitalisering
title: Talsyntes och lässtöd för alla elever
title: Digitala lärverktyg för elever med läs- och skrivsvårigheter
need: Elever med dyslexi får ofta vänta länge på utredning innan de får tillgång till
  kompensatoriska hjälpmedel. Under tiden halkar de efter.
solution: Ge alla elever tillgång till talsyntes, rättstavning och inläsningstjänst från årskurs
  1, utan krav på diagnos, och utbilda lärarna i att använda verktygen.
beneficiaries: Elever med läs- och skrivsvårigheter, nyanlända elever och lärare.
effects: Fler elever som når målen och mindre behov av särskilt stöd.

@ pulspass | skola | Skola, Folkhälsa
title: Pulspass varje dag i skolan
title: Rörelsepauser för bättre inlärning
need: Eleverna rör sig för lite och har svårt att koncentrera sig under långa lektioner.
  Idrottslektionerna räcker inte för att nå rekommendationen om daglig fysisk aktivitet.
solution: Inför ett pulspass på 20 minuter varje dag, lett av en elev eller lärare, med färdiga
  program som fungerar i klassrummet och på skolgården.
beneficiaries: Elever i grundskolan och lärare.
effects: Bättre kondition, koncentration och studiero.

@ forskola-dokumentation | skola | Skola, Digitalisering
title: Enklare dokumentation i förskolan
title: Digital lärlogg för förskolebarn
need: Förskollärarna dokumenterar på papper, i mejl och i olika appar. Vårdnadshavare får
  information på många ställen, och mycket tid går åt till att föra över samma sak.
solution: Samla dokumentation, närvaro och information till vårdnadshavare i en tjänst som
  fungerar i mobilen och där bilder hanteras säkert.
beneficiaries: Förskollärare, barnskötare och vårdnadshavare.
effects: Mer tid med barnen och bättre information till hemmen.

@ sommarentreprenorer | skola | Kommersiell potential, Barn och unga
title: Sommarlovsentreprenörer
title: Ungdomar startar eget på sommarlovet
need: Det finns för få sommarjobb för ungdomar i kommunen, och många unga vet lite om hur man
  startar och driver företag.
solution: Ge ungdomar 16–19 år möjlighet att driva ett eget sommarföretag med handledning, en
  liten startpeng och stöd från lokala företagare.
beneficiaries: Ungdomar, lokala företag och kommunen.
effects: Fler unga med arbetslivserfarenhet, ökat entreprenörskap och starkare kontakter med
  näringslivet.

@ npf-larmiljo | skola | Skola, Tillgänglighet
title: Anpassade lärmiljöer för elever med NPF
title: Lugna studierum i varje skola
need: Elever med neuropsykiatriska funktionsnedsättningar blir överbelastade av ljud och rörelse
  i klassrummet. Många lämnar lektionerna eller stannar hemma.
solution: Inred ett lugnt studierum på varje skola med ljuddämpning, bildstöd och flexibla
  möbler, och ge lärarna en kort utbildning i tydliggörande pedagogik.
beneficiaries: Elever med NPF och deras klasskamrater.
effects: Ökad närvaro, bättre studiero och färre konflikter.

@ sprakvanner | skola | Skola, Integration
title: Språkvänner för nyanlända elever
title: Faddrar som hjälper nya elever in i skolan
need: Nyanlända elever har svårt att komma in i gemenskapen och träffar sällan svenskspråkiga
  jämnåriga utanför lektionerna.
solution: Utse språkvänner bland eleverna som följer den nya eleven under de första månaderna,
  äter lunch tillsammans med hen och visar fritidsaktiviteter.
beneficiaries: Nyanlända elever och deras klasskamrater.
effects: Snabbare språkutveckling, bättre trivsel och fler vänskapsrelationer.

@ ekonomiskt-bistand-etjanst | social | Digitalisering, Effektivisering
title: E-tjänst för ansökan om ekonomiskt bistånd
title: Digital ansökan om försörjningsstöd
need: Ansökningar om ekonomiskt bistånd lämnas på papper med kopior av kvitton. Handläggarna
  lägger mycket tid på att begära in kompletteringar och föra in uppgifter för hand.
solution: Inför en e-tjänst där den sökande loggar in med e-legitimation, fyller i ansökan och
  fotograferar kvitton. Uppgifter hämtas automatiskt från andra myndigheter där det är tillåtet.
beneficiaries: Sökande och handläggare inom ekonomiskt bistånd.
effects: Snabbare beslut, färre kompletteringar och mer tid för stödjande samtal.

@ chatt-unga | social | Barn och unga, Psykisk hälsa
title: Anonym chatt med socialtjänsten för unga
title: Chatta med en socialsekreterare
need: Unga som har det svårt hemma ringer sällan socialtjänsten. Tröskeln är hög, och många vet
  inte vad socialtjänsten kan hjälpa till med.
solution: Öppna en anonym chatt två kvällar i veckan där unga kan ställa frågor till en
  socialsekreterare. Chatten marknadsförs i skolan och i sociala medier.
beneficiaries: Barn och unga 12–20 år.
effects: Fler unga som får stöd tidigt och bättre kunskap om vad socialtjänsten gör.

@ vald-nara-relation | social | Trygghet, Kompetensförsörjning
title: Upptäcka våld i nära relationer i hemtjänsten
title: Utbildning om våld för hemtjänstpersonal
need: Personalen i hemtjänsten är ofta de enda som regelbundet kommer hem till äldre. Våld mot
  äldre upptäcks sällan eftersom personalen inte vet vilka tecken de ska se efter eller vart de
  ska vända sig.
solution: Ta fram en kort webbutbildning och ett kort i fickformat med tecken att vara
  uppmärksam på och vem man kontaktar, tillsammans med socialtjänsten.
beneficiaries: Äldre som utsätts för våld, personalen i hemtjänsten och socialtjänsten.
effects: Fler upptäckta fall och snabbare stöd till de utsatta.

@ boendestod-video | social | Välfärdsteknik, Psykisk hälsa
title: Boendestöd via videosamtal
title: Digitalt boendestöd som komplement
need: Personer med psykisk funktionsnedsättning behöver ibland korta stödsamtal flera gånger om
  dagen, till exempel för att komma igång på morgonen. Varje besök kräver en bilresa.
solution: Komplettera de fysiska besöken med korta videosamtal för den som vill, till exempel
  morgonpåminnelser och planering av dagen.
beneficiaries: Personer med boendestöd och personalen.
effects: Fler och tätare kontakter, större självständighet och mindre restid.

@ sip-digital | social | Digitalisering, Barn och unga, Samverkan
title: Samordnad individuell plan digitalt
title: Digitala SIP-möten med regionen
need: Att samla skola, socialtjänst och hälso- och sjukvård till ett SIP-möte tar veckor.
  Familjerna får vänta och måste berätta sin historia om och om igen.
solution: Håll SIP-möten digitalt när familjen vill, med en gemensam mötesplats och en delad
  plan som alla parter ser.
beneficiaries: Barn och vuxna som behöver samordnade insatser, deras familjer och personalen.
effects: Kortare väntan på möten och bättre samordnade insatser.

@ skuldradgivning-bibliotek | social | Trygghet
title: Drop-in med budget- och skuldrådgivning på biblioteket
title: Ekonomisk rådgivning där folk redan finns
need: Många som har skulder söker hjälp först när det har gått till Kronofogden. Att boka tid
  hos budget- och skuldrådgivningen känns som ett stort steg.
solution: Erbjud drop-in en kväll i månaden på biblioteket där budget- och skuldrådgivare svarar
  på frågor, utan tidsbokning och anonymt.
beneficiaries: Invånare med ekonomiska bekymmer.
effects: Tidigare hjälp, färre ärenden hos Kronofogden och mindre psykisk påfrestning.

@ familjecentral-digital | social | Barn och unga, Digitalisering
title: Digitala föräldraträffar från familjecentralen
title: Familjecentralen på nätet
need: Föräldrar som arbetar dagtid eller bor långt från familjecentralen har svårt att delta i
  föräldragrupperna.
solution: Erbjud en del av föräldraträffarna digitalt på kvällstid, med samma innehåll och
  samtalsledare som de fysiska träffarna.
beneficiaries: Föräldrar till barn 0–6 år.
effects: Fler föräldrar som deltar och tidigare stöd till familjer.

@ meroppet-bibliotek | kultur | Tillgänglighet, Digitalisering
title: Meröppet bibliotek med självbetjäning
title: Biblioteket öppet även kvällar och helger
need: Biblioteksfilialerna på landsbygden har öppet några timmar i veckan. Många som arbetar
  dagtid hinner aldrig dit.
solution: Inför meröppet, där låntagare med lånekort och kod kommer in och lånar själva under
  obemannade tider, med kamera och larm för tryggheten.
beneficiaries: Invånare i orter med filialbibliotek, studenter och föreningar.
effects: Fler besök och lån, och biblioteket blir en mötesplats även utanför de bemannade tiderna.

@ fritidsbanken | kultur | Hållbarhet, Barn och unga, Folkhälsa
title: Fritidsbanken – låna sport- och fritidsutrustning gratis
title: Utlåning av fritidsutrustning
need: Många barn provar aldrig skidor, skridskor eller friluftsliv eftersom familjen inte har
  råd med utrustningen. Samtidigt står begagnad utrustning oanvänd i förråd och källare.
solution: Starta en fritidsbank där invånarna skänker utrustning som lånas ut gratis i två
  veckor, bemannad tillsammans med arbetsmarknadsenheten.
beneficiaries: Barn och familjer, föreningar och personer i arbetsmarknadsinsatser.
effects: Fler aktiva barn, ökad återanvändning och meningsfulla arbetsuppgifter för deltagarna.

@ lokalbokning | kultur | Digitalisering, Effektivisering
title: Digital bokning av idrottshallar och lokaler
title: Boka kommunens lokaler på nätet
need: Föreningar och privatpersoner måste ringa eller mejla för att boka idrottshallar och
  samlingslokaler. Det är svårt att se vad som är ledigt, och fakturorna skickas för hand.
solution: Inför en bokningstjänst där man ser lediga tider, bokar och betalar direkt, och där
  föreningarnas säsongsbokningar hanteras i samma system.
beneficiaries: Föreningar, invånare och handläggare på fritidsförvaltningen.
effects: Högre beläggning, mindre administration och nöjdare föreningar.

@ kultur-pa-recept | kultur | Psykisk hälsa, Folkhälsa
title: Kultur på recept
title: Kulturaktiviteter för långtidssjukskrivna
need: Personer som är långtidssjukskrivna för stress och depression blir ofta isolerade.
  Forskning visar att kulturaktiviteter kan bidra till återhämtning.
solution: Erbjud kultur på recept i samarbete med vårdcentralen: en grupp träffas två gånger i
  veckan i tio veckor för musik, konst, läsning och museibesök.
beneficiaries: Långtidssjukskrivna med lätt till måttlig psykisk ohälsa.
effects: Bättre mående, snabbare återgång i arbete och nya sociala kontakter.

@ lovkalender | kultur | Barn och unga, Digitalisering
title: Samlad lovkalender för barn och unga
title: Alla lovaktiviteter på ett ställe
need: Under loven finns många aktiviteter hos kommunen, föreningar och studieförbund, men
  informationen är utspridd och många familjer missar dem.
solution: Ta fram en gemensam lovkalender på webben där alla arrangörer lägger in sina
  aktiviteter, med filter för ålder och ort och möjlighet att anmäla sig.
beneficiaries: Barn, unga och familjer, och föreningar som vill nå fler.
effects: Fler deltagare i lovaktiviteter, särskilt barn som annars inte gör något på loven.

@ utegym-qr | kultur | Folkhälsa, Digitalisering
title: Utegym med filmade övningar via QR-kod
title: Instruktionsfilmer på utegymmen
need: Utegymmen används lite, och många vet inte hur redskapen ska användas på rätt sätt.
solution: Sätt upp skyltar med QR-koder som leder till korta filmer med övningar på olika
  nivåer, inspelade med lokala tränare.
beneficiaries: Motionärer i alla åldrar, särskilt äldre och nybörjare.
effects: Fler som tränar utomhus och färre skador.

@ ungdomsrad-digitalt | kultur | Barn och unga, Digitalisering
title: Digitalt ungdomsråd
title: Ungas röster i kommunens beslut
need: Ungdomsrådet når bara några få engagerade ungdomar, och de flesta unga vet inte hur de kan
  påverka beslut i kommunen.
solution: Komplettera ungdomsrådet med en digital plattform där unga kan lämna förslag, rösta
  och följa vad som händer med förslagen.
beneficiaries: Unga 13–25 år och politiker som vill nå dem.
effects: Fler unga som är delaktiga och beslut som bättre motsvarar ungas behov.

@ felanmalan-karta | samhall | Digitalisering
title: Felanmälan med foto och karta
title: Anmäl trasiga gatlampor och hål i vägen med mobilen
need: Invånare ringer eller mejlar om trasig belysning, klotter och potthål. Beskrivningarna är
  ofta otydliga och det är svårt att hitta platsen.
solution: Inför en e-tjänst där man tar en bild, markerar platsen på kartan och får besked när
  felet är åtgärdat.
beneficiaries: Invånare och driftpersonalen på gatuenheten.
effects: Snabbare åtgärder, färre samtal till växeln och bättre underlag för underhållsplaneringen.

@ solceller-tak | samhall | Hållbarhet
title: Solceller på kommunens tak
title: Egen solelproduktion på skolor och förskolor
need: Kommunens fastigheter har stora tak som inte används, samtidigt som elkostnaderna har ökat
  kraftigt.
solution: Inventera takytorna och installera solceller på de fastigheter som förbrukar mest el
  dagtid, till exempel skolor och kök. Visa produktionen på skärmar för eleverna.
beneficiaries: Kommunens verksamheter, eleverna och klimatet.
effects: Lägre elkostnader, minskade utsläpp och ett konkret inslag i undervisningen.

@ elbilspool | samhall | Hållbarhet
title: Elbilspool för kommunens medarbetare
title: Gemensamma elbilar i stället för privata bilar i tjänsten
need: Många medarbetare använder sin privata bil i tjänsten och får milersättning. Samtidigt
  står förvaltningarnas bilar oanvända stora delar av dagen.
solution: Samla tjänstebilarna i en gemensam elbilspool med digital bokning, och byt till
  elbilar i takt med att leasingavtalen går ut.
beneficiaries: Medarbetare som reser i tjänsten och kommunens ekonomi.
effects: Lägre kostnader för milersättning, minskade utsläpp och bättre nyttjade bilar.

@ sensorer-papperskorgar | samhall | Digitalisering, Hållbarhet
title: Sensorer som visar när papperskorgar behöver tömmas
title: Smartare tömning av papperskorgar
need: Papperskorgarna i parker och centrum töms enligt schema. Vissa är halvtomma vid tömning
  medan andra svämmar över på helgerna.
solution: Montera sensorer som mäter fyllnadsgraden och planera tömningsrundan efter behov.
beneficiaries: Parkarbetare och invånare.
effects: Färre körningar, renare parker och mindre nedskräpning.

@ aterbruk-mobler | samhall | Hållbarhet, Effektivisering
title: Intern återbruksportal för möbler
title: Återbruka kontorsmöbler mellan förvaltningarna
need: När en verksamhet flyttar köps ofta nya möbler, samtidigt som fungerande möbler slängs
  eller står i förråd hos en annan förvaltning.
solution: Skapa en intern annonsplats där verksamheterna lägger upp möbler och inventarier som
  inte behövs och där andra kan reservera dem.
beneficiaries: Alla förvaltningar och kommunens ekonomi.
effects: Lägre inköpskostnader, mindre avfall och minskad klimatpåverkan.

@ bygglovsguide | samhall | Digitalisering, Tillgänglighet
title: Digital bygglovsguide
title: Guide som visar om du behöver bygglov
need: Många ansökningar om bygglov är ofullständiga, och handläggarna lägger mycket tid på att
  förklara vad som behövs. Invånarna vet ofta inte om de ens behöver lov.
solution: Ta fram en guide på webben där invånaren svarar på några frågor om sitt projekt och
  får veta om lov behövs och vilka handlingar som ska bifogas.
beneficiaries: Invånare, företag och bygglovshandläggare.
effects: Färre ofullständiga ansökningar, kortare handläggningstider och nöjdare sökande.

@ vattensensorer | samhall | Hållbarhet, Digitalisering
title: Smarta vattenmätare som upptäcker läckor
title: Läckagelarm i kommunens fastigheter
need: Vattenläckor i kommunens fastigheter upptäcks ofta först när det har blivit vattenskador,
  och läckor i ledningsnätet syns först på fakturan.
solution: Installera smarta vattenmätare och fuktsensorer som larmar fastighetsskötaren vid
  ovanlig förbrukning eller fukt.
beneficiaries: Fastighetsavdelningen och verksamheterna i lokalerna.
effects: Färre vattenskador, lägre vattenförbrukning och lägre försäkringskostnader.

@ matsvinn-matbank | samhall | Hållbarhet, Trygghet
title: Överbliven mat från storköken till en matbank
title: Ta vara på matsvinnet från kommunens kök
need: Kommunens storkök lagar varje dag mat som aldrig serveras och måste slängas, samtidigt som
  allt fler hushåll har svårt att få ekonomin att gå ihop.
solution: Samarbeta med en lokal förening om en matbank dit överbliven och nedkyld mat levereras
  enligt en säker rutin för livsmedelshygien.
beneficiaries: Hushåll med små marginaler, föreningslivet och kommunens kök.
effects: Mindre matsvinn och stöd till invånare som behöver det.

@ pollinatorer | samhall | Hållbarhet
title: Blommande ängar i stället för gräsmattor
title: Pollinatörsvänliga gröna ytor
need: Kommunen klipper stora gräsytor som ingen använder, vilket kostar pengar och ger lite för
  den biologiska mångfalden.
solution: Välj ut ytor som får bli ängar som slås en gång per år, sätt upp skyltar som förklarar
  varför och låt skolklasser följa blomningen.
beneficiaries: Invånare, skolor och pollinerande insekter.
effects: Lägre skötselkostnader, ökad biologisk mångfald och vackrare miljöer.

@ snorojning-karta | samhall | Digitalisering
title: Snöröjningen i realtid på kartan
title: Se var plogbilen har varit
need: Vid snöfall ringer många invånare för att fråga när deras gata blir plogad. Växeln blir
  överbelastad och driftpersonalen avbryts i arbetet.
solution: Visa plogbilarnas rutter och status på en karta på kommunens webbplats, med
  information om i vilken ordning gatorna prioriteras.
beneficiaries: Invånare, växeln och driftpersonalen.
effects: Färre samtal, nöjdare invånare och bättre förståelse för prioriteringarna.

@ tillganglighetsinventering | samhall | Tillgänglighet, Digitalisering
title: Inventera tillgängligheten med en app
title: Kartlägg hinder i den offentliga miljön
need: Det saknas aktuell information om vilka lokaler, lekplatser och gångvägar som går att
  använda med rullstol eller rollator. Personer med funktionsnedsättning får själva ta reda på
  det.
solution: Använd en app där personal och invånare registrerar hinder och tillgänglighet med
  bilder, och publicera resultatet på kommunens karta.
beneficiaries: Personer med funktionsnedsättning, äldre och föräldrar med barnvagn.
effects: Bättre information, tydligare prioritering av åtgärder och ökad delaktighet.

@ gemensam-etjanst | kommunledning | Digitalisering, Effektivisering, Samverkan
title: Gemensam e-tjänsteplattform för Skaraborgs kommuner
title: Samma e-tjänster i alla kommuner
need: Varje kommun bygger och förvaltar sina egna e-tjänster för samma ärenden, till exempel
  ansökan om skolskjuts eller parkeringstillstånd.
solution: Använd en gemensam plattform där en e-tjänst byggs en gång och kan användas av alla
  kommuner med egna inställningar.
beneficiaries: Invånarna, handläggarna och kommunernas IT-avdelningar.
effects: Lägre kostnader, fler e-tjänster och samma kvalitet i alla kommuner.

@ rpa-fakturor | kommunledning | Digitalisering, Effektivisering
title: Automatisera hanteringen av leverantörsfakturor
title: Mjukvarurobot för ekonomiadministrationen
need: Ekonomiavdelningen hanterar tusentals leverantörsfakturor i månaden, och många steg är
  rena upprepningar, som att kontera och stämma av mot avtal.
solution: Testa en mjukvarurobot som hämtar fakturor, föreslår kontering utifrån tidigare
  fakturor och flaggar avvikelser för manuell kontroll.
beneficiaries: Ekonomiadministratörer och attestanter.
effects: Frigjord tid, färre fel och snabbare betalningar.

@ digital-signering | kommunledning | Digitalisering, Effektivisering
title: Digital signering av avtal och beslut
title: Skriv under med e-legitimation
need: Avtal och delegationsbeslut skrivs ut, signeras för hand, skannas och skickas runt med
  internposten. Det tar dagar, och papper försvinner.
solution: Inför en tjänst för digital signering med e-legitimation som är kopplad till diariet.
beneficiaries: Chefer, handläggare och registratorer.
effects: Snabbare handläggning, mindre papper och säkrare arkivering.

@ chattbot-kontaktcenter | kommunledning | Digitalisering, Tillgänglighet
title: Chattbot för kontaktcenter
title: Svar dygnet runt på vanliga frågor
need: Kontaktcenter får samma frågor om och om igen, till exempel om sophämtning, skollov och
  bygglov. Köerna är långa och invånarna kan bara få svar dagtid.
solution: Inför en chattbot på webbplatsen som svarar på de vanligaste frågorna och kopplar
  vidare till en handläggare när den inte kan svara.
beneficiaries: Invånare och medarbetare på kontaktcenter.
effects: Kortare köer, svar dygnet runt och mer tid för komplicerade ärenden.

@ losenord-sjalvservice | kommunledning | Digitalisering, Effektivisering
title: Självservice för lösenordsbyte
title: Byt lösenord själv utan att ringa IT-supporten
need: En stor del av samtalen till IT-supporten handlar om bortglömda lösenord, särskilt efter
  semestrar. Personal i vården kan inte dokumentera medan de väntar.
solution: Inför självservice där medarbetaren återställer sitt lösenord med e-legitimation eller
  sms-kod.
beneficiaries: Alla medarbetare och IT-supporten.
effects: Färre supportärenden och ingen väntan för medarbetarna.

@ gemensam-itsupport | kommunledning | Digitalisering, Samverkan
title: Gemensam IT-support för de mindre kommunerna
title: Samverkan om IT-drift mellan grannkommuner
need: De mindre kommunerna har bara några få IT-tekniker var och blir sårbara vid semester och
  sjukdom. Det är svårt att rekrytera specialister.
solution: Bygg upp en gemensam IT-support och driftorganisation för flera kommuner, med
  gemensamt ärendesystem och jourlista.
beneficiaries: Medarbetarna i de deltagande kommunerna och IT-personalen.
effects: Mindre sårbarhet, bättre service och lägre kostnader per användare.

@ ai-protokoll | kommunledning | Digitalisering, Effektivisering
title: AI-stöd för att skriva mötesanteckningar
title: Automatisk transkribering av möten
need: Sekreterare och handläggare lägger många timmar på att skriva protokoll och
  minnesanteckningar efter möten.
solution: Testa ett AI-verktyg som transkriberar möten och föreslår en sammanfattning som
  sekreteraren granskar, med tydliga regler för vilka möten det får användas i.
beneficiaries: Nämndsekreterare, handläggare och chefer.
effects: Frigjord tid och snabbare protokoll.

@ digital-onboarding | kommunledning | Kompetensförsörjning, Digitalisering
title: Digital introduktion för nyanställda
title: En gemensam välkomstportal för nya medarbetare
need: Introduktionen av nya medarbetare ser olika ut på varje arbetsplats. Många får sina
  inloggningar sent och vet inte vart de ska vända sig.
solution: Skapa en gemensam introduktionsportal med en checklista för chefen och filmer om
  kommunen och det praktiska, som nyanställda får tillgång till redan före första dagen.
beneficiaries: Nyanställda och chefer.
effects: Snabbare introduktion, fler som stannar och mindre tid för chefen.

@ heltid-schema | kommunledning | Kompetensförsörjning, Arbetsmiljö
title: Önskeschema för heltidsarbete i vården
title: Schemaläggning som gör heltid möjlig
need: Många i vård och omsorg arbetar deltid, delvis för att scheman med delade turer och många
  helger är tunga. Samtidigt saknar vi personal.
solution: Inför önskeschema med ett digitalt schemaverktyg där medarbetarna lägger in sina
  önskemål och chefen balanserar bemanningen.
beneficiaries: Medarbetare i vård och omsorg, chefer och brukare.
effects: Fler som arbetar heltid, bättre arbetsmiljö och färre timvikarier.

@ seniora-mentorer | kommunledning | Kompetensförsörjning
title: Seniora medarbetare som mentorer
title: Kunskapsöverföring före pensionen
need: Många erfarna medarbetare går i pension de närmaste åren, och deras kunskap följer med
  dem. Nya medarbetare saknar någon att fråga.
solution: Starta ett mentorprogram där medarbetare som har några år kvar till pensionen får tid
  att vara mentorer för nyanställda.
beneficiaries: Nyanställda, seniora medarbetare och verksamheterna.
effects: Kunskap som stannar i organisationen, tryggare nyanställda och meningsfulla sista år i
  arbetslivet.

@ overlamning | kommunledning | Kompetensförsörjning, Digitalisering
title: Mall för överlämning när någon slutar
title: Inget ska falla mellan stolarna när personal byter tjänst
need: När en medarbetare slutar eller byter tjänst försvinner ofta kunskap om pågående ärenden
  och kontakter. Den som kommer efter får börja om.
solution: Ta fram en digital överlämningsmall och en rutin där chefen och medarbetaren går
  igenom pågående arbete, kontakter och funktionsbrevlådor före sista dagen.
beneficiaries: Chefer, medarbetare och de invånare vars ärenden annars blir liggande.
effects: Färre tappade ärenden och en smidigare start för den som tar över.

@ sprakombud | kommunledning | Kompetensförsörjning, Integration
title: Språkombud och svenska på arbetsplatsen
title: Språkutveckling i vardagen för medarbetare
need: Många medarbetare i vård och omsorg har svenska som andraspråk och tycker att
  dokumentation och telefonsamtal är svåra. Det påverkar kvaliteten och deras möjligheter att
  utvecklas.
solution: Utbilda språkombud på varje arbetsplats som stöttar kollegor i vardagen, och erbjud
  svenska för vård och omsorg på arbetstid.
beneficiaries: Medarbetare med svenska som andraspråk, deras chefer och brukarna.
effects: Säkrare dokumentation, bättre kommunikation med brukarna och fler som kan gå vidare
  till undersköterska.

@ friskvard-arbetstid | kommunledning | Arbetsmiljö, Folkhälsa
title: Rörelsepass på arbetstid
title: Friskvård som passar alla yrken
need: Friskvårdsbidraget används mest av medarbetare med kontorsjobb. Personal i vård, skola och
  kök har svårt att hinna träna, och sjukfrånvaron är hög.
solution: Erbjud korta rörelsepass på arbetsplatsen på arbetstid, ledda av
  friskvårdsinspiratörer bland medarbetarna.
beneficiaries: Medarbetare i verksamheter med fysiskt krävande arbete.
effects: Lägre sjukfrånvaro, bättre arbetsmiljö och starkare gemenskap.

@ lattlast-webb | kommunledning | Tillgänglighet, Digitalisering
title: Lättläst och uppläst information på webben
title: Talande webb för alla invånare
need: Kommunens webbplats har mycket text som är svår att förstå för personer med intellektuell
  funktionsnedsättning eller läs- och skrivsvårigheter och för den som är ny i svenskan.
solution: Skriv lättlästa sammanfattningar av de viktigaste sidorna och lägg till uppläsning och
  översättning av texterna.
beneficiaries: Invånare som har svårt att läsa eller förstå svenska.
effects: Fler invånare som hittar och förstår informationen, och färre samtal till kontaktcenter.

@ teckensprak-video | kommunledning | Tillgänglighet
title: Teckenspråkstolk via video i kontaktcenter
title: Kontakt med kommunen på teckenspråk
need: Döva och hörselskadade invånare har svårt att kontakta kommunen, eftersom kontaktcenter
  bara tar emot telefonsamtal och mejl.
solution: Erbjud videosamtal med tolk via en tolktjänst, så att invånare kan ringa kontaktcenter
  på teckenspråk.
beneficiaries: Döva, hörselskadade och dövblinda invånare.
effects: Likvärdig service och ökad delaktighet.

@ schemabyte-app | kommunledning | Kommersiell potential, Digitalisering, Arbetsmiljö
title: App för att byta pass mellan kollegor
title: Smidigare passbyten i schemat
need: Passbyten görs via lappar på anslagstavlan, sms och samtal till chefen. Det är svårt att
  se vem som kan ta ett pass, och reglerna för arbetstid missas lätt.
solution: En app där medarbetare lägger ut pass de vill byta, kollegor nappar och chefen
  godkänner med ett klick. Appen kontrollerar vilotid och arbetstidsregler automatiskt.
beneficiaries: Medarbetare med schemalagd arbetstid och deras chefer.
effects: Mindre administration, färre regelbrott och mer inflytande över arbetstiden. Lösningen
  kan ha ett kommersiellt värde för andra kommuner.
"""

# Deliberate near-duplicates: the same idea handed in again in another municipality in
# other words (the key names the base idea). The "similar ideas" feature should find them.
NEAR_DUPLICATES_TEXT = """
@ foraldraresan | social | Psykisk hälsa, Barn och unga
title: Webbkurs för föräldrar om barns psykiska mående
need: Föräldrar hör av sig till elevhälsan för att de är oroliga för sina tonåringars mående och
  vill veta hur de kan hjälpa. Vi har inget bra material att hänvisa till, och föräldragrupperna
  är fulla.
solution: En kurs på nätet för föräldrar om ångest, nedstämdhet och stress hos barn och
  ungdomar, med filmer och övningar som man kan gå igenom i sin egen takt.
beneficiaries: Föräldrar till skolbarn och elevhälsans personal.
effects: Tryggare föräldrar och barn som får hjälp tidigare.

@ nattkamera | vard | Välfärdsteknik
title: Kameratillsyn på natten i stället för besök
need: Vi väcker äldre varje natt när vi öppnar dörren för att kontrollera att allt är lugnt.
  Flera brukare har sagt att de inte kan somna om efteråt. Vi kör dessutom långt mellan besöken.
solution: Låt brukare som vill få tillsyn via en kamera i sovrummet. Personalen tittar in några
  sekunder vid avtalade tider och åker bara hem till den som behöver hjälp.
beneficiaries: Brukare med tillsyn nattetid och nattpatrullen.
effects: Ostörd sömn och mindre körning nattetid.

@ fritidsbanken | kultur | Barn och unga, Hållbarhet
title: Gratis utlåning av skridskor, skidor och tält
need: Familjer med små marginaler har inte råd att köpa utrustning till barnens
  fritidsaktiviteter. Barnen växer ur skridskor och pjäxor varje år.
solution: Öppna ett utlåningsställe där vem som helst kan låna begagnad sportutrustning utan
  kostnad, som ett bibliotek för fritidsprylar. Utrustningen samlas in genom insamlingar på
  skolorna.
beneficiaries: Barn och familjer i kommunen.
effects: Fler barn som provar olika aktiviteter och mer återbruk.

@ matsvinn-skola | skola | Hållbarhet
title: Våg vid disken för att minska slängd skolmat
need: I vår skolmatsal slänger eleverna mycket mat. Ingen vet riktigt hur mycket, och köket
  gissar hur mycket som ska lagas.
solution: Väg den mat som slängs varje dag och visa resultatet för eleverna, med en tävling
  mellan klasserna. Köket får statistik över vilka rätter som går åt.
beneficiaries: Elever och kökspersonal.
effects: Mindre slängd mat och lägre kostnader.

@ felanmalan-karta | samhall | Digitalisering
title: Mobilapp för att rapportera fel i gatumiljön
need: Det är krångligt att rapportera en trasig lampa eller ett hål i asfalten. Man måste ringa
  under kontorstid och förklara exakt var det är.
solution: En app eller webbsida där invånaren fotograferar felet, positionen följer med
  automatiskt och ärendet hamnar direkt hos rätt arbetslag.
beneficiaries: Invånare och gatuenheten.
effects: Snabbare lagade fel och färre telefonsamtal.

@ lakemedelsrobot | vard | Välfärdsteknik
title: Påminnelse och utlämning av mediciner med automat
need: Många hemtjänstbesök görs enbart för att ge medicin. Ofta kommer vi för sent eller för
  tidigt eftersom turerna är fulla.
solution: Ställ en medicinautomat hemma hos brukaren som ger rätt dos vid rätt tid och larmar
  oss om dosen inte tas.
beneficiaries: Brukare och hemtjänstpersonal.
effects: Rätt medicin i rätt tid och färre besök.

@ vikariepool | skola | Skola, Samverkan
title: Vikariebank för alla skolor i Skaraborg
need: Varje morgon ringer vi runt till vikarier, och samma personer får samtal från tre olika
  kommuner. Ofta hittar vi ingen och lektionen ställs in.
solution: En gemensam vikariebank där vikarier registrerar sig och där skolor i alla kommuner
  ser vem som är ledig och bokar direkt.
beneficiaries: Skolor, vikarier och elever.
effects: Färre inställda lektioner och mindre tid i telefon.
"""

FORALDRARESAN = parse_ideas(FORALDRARESAN_TEXT)[0]
BASE_IDEAS = parse_ideas(BASE_IDEAS_TEXT)
NEAR_DUPLICATES = parse_ideas(NEAR_DUPLICATES_TEXT)


# --- Making the work visible (issue 6): showcase, trainings, resources, newsletters --------


@dataclass(frozen=True)
class ShowcaseStory:
    """The public story of one demo idea, found by its base idea's key. The texts are
    edited for the public: no names or contact details, unless `credit` (agreed) names a
    team."""

    key: str
    category: str  # apps.spread.models.Category
    headline: str
    lead: str
    story: str
    results: str
    credit: str = ""


# The first SHOWCASE_PUBLISHED stories whose idea is in a later stage with consent are
# published, the oldest first; the next one found waits as a draft for the communicator.
SHOWCASE_PUBLISHED = 6
SHOWCASE_STORIES = [
    ShowcaseStory(
        "fritidsbanken",
        "culture",
        "Fritidsbanken lånar ut glädje – gratis",
        "Skridskor, tält och fotbollsskor som stod oanvända i förråd lånas nu ut gratis, "
        "precis som böcker på ett bibliotek.",
        "Många barn i Skaraborg provar aldrig en ny idrott eftersom utrustningen kostar för "
        "mycket. Samtidigt står fullt fungerande prylar i förråd och garage. Idén var enkel: "
        "samla in det som inte används och låna ut det gratis i två veckor i taget.\n\n"
        "Kultur- och fritidsförvaltningen testade först med en container vid sporthallen. "
        "Intresset var så stort att verksamheten flyttade in i en lokal med öppettider "
        "efter skoltid, bemannad av feriearbetare och en föreningssamordnare.",
        "Över 2 300 utlån det första året, varav en tredjedel till barn som inte var med i "
        "någon förening. Fyra kommuner har bett om slussens underlag för att starta egna.",
    ),
    ShowcaseStory(
        "kultur-pa-recept",
        "health",
        "Kultur på recept bröt isoleringen",
        "Vårdcentralen kan skriva ut tio träffar med kör, måleri eller museibesök till den "
        "som är sjukskriven för lättare psykisk ohälsa.",
        "Idén kom från en medarbetare på biblioteket som mötte många som var sjukskrivna och "
        "ensamma. Tillsammans med vårdcentralen och kulturskolan formades ett program med "
        "träffar i små grupper under tio veckor, lett av kulturpedagoger.\n\n"
        "Deltagarna valde själva mellan skapande, musik och läsning. Varje grupp avslutades "
        "med en gemensam utställning eller konsert för anhöriga.",
        "Sju av tio deltagare skattade sitt välmående högre efter programmet. Hälften "
        "fortsatte i en förening eller studiecirkel efteråt.",
    ),
    ShowcaseStory(
        "foraldraresan",
        "social",
        "Föräldraresan – stöd till föräldrar när det passar dem",
        "En webbaserad föräldrautbildning om barns psykiska hälsa, med korta filmer och "
        "digitala gruppträffar på kvällstid.",
        "Föräldrar som oroar sig för sina barns mående vet ofta inte var de ska börja, och de "
        "utbildningar som fanns hölls dagtid. Familjecentralen och elevhälsan tog fram en "
        "utbildning som bygger på evidensbaserade metoder och som går att gå i mobilen.\n\n"
        "Utbildningen prövades först med två föräldragrupper. Deras synpunkter gjorde filmerna "
        "kortare och lade till textning på fyra språk.",
        "120 föräldrar gick utbildningen under pilotåret. Elevhälsan hänvisar nu dit i stället "
        "för att sätta familjer på kö, och fler kommuner i Skaraborg förbereder ett införande.",
        credit="Familjecentralen och elevhälsan i Skövde",
    ),
    ShowcaseStory(
        "nattkamera",
        "care",
        "Trygg natt utan att bli väckt",
        "Med digital tillsyn tittar nattpersonalen in via kamera i stället för att öppna "
        "dörren, för de brukare som själva vill det.",
        "Nattpatrullen i hemtjänsten gjorde många besök bara för att se att någon sov, och "
        "väckte ofta personen. Kameran slås bara på vid bestämda tider, spelar inte in och "
        "används bara efter ett eget beslut av brukaren.\n\n"
        "Under testet följde arbetsterapeuter upp hur brukarna sov och hur anhöriga upplevde "
        "tryggheten.",
        "En tredjedel av tillsynsbesöken blev digitala. Brukarna sov bättre och nattpatrullen "
        "fick mer tid för dem som behövde hjälp på plats.",
    ),
    ShowcaseStory(
        "felanmalan-karta",
        "community",
        "Felanmälan med foto och karta",
        "Trasiga gatlampor och hål i gång- och cykelbanor anmäls nu med mobilen, med bild och "
        "position, och den som anmält ser när felet är åtgärdat.",
        "Tidigare kom felanmälningar via telefon och e-post och var ofta svåra att hitta på "
        "plats. Samhällsbyggnadsförvaltningen byggde en enkel e-tjänst där invånaren pekar ut "
        "platsen på kartan och tar ett foto.\n\n"
        "Ärendena går direkt till rätt arbetslag och invånaren får besked när jobbet är gjort.",
        "Tiden från anmälan till åtgärd halverades, och samtalen till växeln om fel i gatumiljön "
        "minskade med 40 procent.",
    ),
    ShowcaseStory(
        "heltid-schema",
        "workplace",
        "Önskeschema gjorde heltid möjlig i vården",
        "Medarbetarna lägger själva sina önskemål om pass, och schemat pusslas ihop i "
        "arbetslaget i stället för att styras uppifrån.",
        "Många i vården arbetade deltid eftersom heltidsschemat inte gick ihop med livet i "
        "övrigt. Ett arbetslag prövade önskeschema under ett halvår, med en schemaplanerare som "
        "stöd och tydliga regler för helger.",
        "Andelen som arbetar heltid i de deltagande arbetslagen ökade från 48 till 71 procent, "
        "och behovet av timvikarier minskade.",
    ),
    ShowcaseStory(
        "lovkalender",
        "culture",
        "Alla lovaktiviteter på ett ställe",
        "En gemensam lovkalender samlar kommunens och föreningarnas aktiviteter för barn och "
        "unga, med filter för ålder, pris och plats.",
        "Föräldrar och unga hittade inte lovaktiviteterna, som låg utspridda på olika webbplatser "
        "och anslagstavlor. Fritidsgårdarna och föreningarna lägger nu in sina aktiviteter i "
        "samma kalender.",
        "Under sommarlovet besöktes kalendern 14 000 gånger och de flesta aktiviteter var "
        "fullbokade.",
    ),
    ShowcaseStory(
        "solceller-tak",
        "community",
        "Solceller på kommunens egna tak",
        "Kommunens fastigheter producerar nu en del av sin egen el, med solceller på skolor "
        "och förråd.",
        "Fastighetsavdelningen kartlade vilka tak som lämpade sig och började med de som ändå "
        "skulle renoveras.",
        "De första sex anläggningarna ger omkring 300 000 kWh om året.",
    ),
]
# The story that waits for the communicator's approval: drafted by the idea's coach.
SHOWCASE_DRAFT = ShowcaseStory(
    "mobil-dokumentation",
    "care",
    "Dokumentation direkt i mobilen",
    "Hemtjänstens personal dokumenterar på plats hos brukaren i stället för att samlas på "
    "kontoret i slutet av passet.",
    "Personalen i hemtjänsten sparade dokumentationen till slutet av passet och satt i kö "
    "vid de få datorerna. Ett arbetslag testar nu att dokumentera i mobilen direkt efter "
    "besöket, med taligenkänning som stöd.",
    "Testet pågår. De första veckorna sparade arbetslaget ungefär 20 minuter per person och pass.",
)


@dataclass(frozen=True)
class DemoCourse:
    """A training and its sessions: (days from today, start hour, hours long, seats,
    people registered). Negative days are sessions that have taken place; more people
    than seats fill the waiting list."""

    title: str
    topic: str  # apps.trainings.models.Course.Topic
    description: str
    audience: str
    place: str
    online_link: str
    sessions: tuple[tuple[int, int, int, int, int], ...]


COURSES = [
    DemoCourse(
        "Innovationsledarskap",
        "innovation_leadership",
        "Hur leder man så att medarbetarnas idéer tas till vara? Två halvdagar om "
        "innovationskultur, att ge tid och mandat för att pröva nytt, och hur innovationsslussen "
        "kan stödja din arbetsplats.",
        "Chefer på alla nivåer i Skaraborgs kommuner.",
        "Skaraborgs kommunalförbund, Skövde",
        "",
        ((-152, 9, 4, 20, 18), (-61, 9, 4, 20, 16), (21, 9, 4, 12, 15), (88, 9, 4, 20, 5)),
    ),
    DemoCourse(
        "Tjänstedesign i praktiken",
        "service_design",
        "Att förstå behoven innan man bygger lösningen: intervjuer, observationer, "
        "kundresor och snabba prototyper, med övningar på era egna utmaningar.",
        "Chefer, idécoacher och verksamhetsutvecklare.",
        "Stadshuset, Lidköping",
        "",
        ((-118, 13, 3, 16, 14), (35, 13, 3, 16, 6)),
    ),
    DemoCourse(
        "Jämställdhetsintegrering i utvecklingsarbete",
        "gender_equality",
        "Hur påverkar en ny tjänst kvinnor och män, flickor och pojkar? Verktyg för att "
        "analysera och följa upp jämställdheten i idéer och förbättringsarbete.",
        "Chefer och idécoacher.",
        "",
        "https://mote.demo.sluss.se/jamstalldhet",
        ((-95, 9, 3, 30, 19), (49, 9, 3, 25, 4)),
    ),
    DemoCourse(
        "Nyttorealisering",
        "benefits_realisation",
        "Från nyttohypotes till mätbar effekt: att identifiera, specificera, planera, "
        "realisera och följa upp nyttor enligt den svenska modellen för offentlig sektor.",
        "Chefer som tar emot en lösning, och idécoacher.",
        "Kulturhuset, Mariestad",
        "",
        ((-40, 13, 3, 20, 15), (14, 13, 3, 20, 9)),
    ),
    DemoCourse(
        "Idécoachning – från första samtal till test",
        "other",
        "För nya idécoacher: första kontakten med idébäraren, att skärpa behov och lösning, "
        "och hur slussens steg och grindbeslut fungerar.",
        "Idécoacher i slussens kommuner.",
        "",
        "https://mote.demo.sluss.se/idecoachning",
        ((-205, 9, 6, 15, 13),),
    ),
]

# Managers who take part in trainings: fictional accounts without a password (they are
# not demo logins), at <municipality>.example.se. Name, municipality slug, area of their
# unit.
TRAINING_MANAGERS = [
    ("Anneli Rydberg", "falkoping", "vard"),
    ("Patrik Sundén", "falkoping", "skola"),
    ("Jessica Hammar", "lidkoping", "kommunledning"),
    ("Roger Alm", "lidkoping", "vard"),
    ("Carina Wennberg", "lidkoping", "skola"),
    ("Mats Granlund", "mariestad", "samhall"),
    ("Louise Engdahl", "mariestad", "vard"),
    ("Kerstin Ljung", "skara", "skola"),
    ("Håkan Törnqvist", "skara", "kommunledning"),
    ("Petra Axelsson", "skovde", "skola"),
    ("Ronny Åkesson", "skovde", "samhall"),
    ("Gunilla Ståhl", "skovde", "kommunledning"),
    ("Yasmin Karimi", "tidaholm", "vard"),
    ("Bo Lindgren", "tibro", "samhall"),
    ("Charlotte Ek", "vara", "skola"),
    ("Jörgen Nyström", "gotene", "vard"),
    ("Madeleine Borg", "hjo", "kommunledning"),
    ("Sven-Erik Dahl", "toreboda", "vard"),
    ("Tove Runesson", "essunga", "skola"),
    ("Ebba Lundell", "grastorp", "kommunledning"),
    ("Niclas Hedberg", "gullspang", "samhall"),
    ("Rebecka Tell", "karlsborg", "vard"),
]


@dataclass(frozen=True)
class DemoResource:
    """A library item. `kind` is the generated file's type ("pdf", "docx", "txt");
    `versions` are (days ago, file name, change note, lines of text) oldest first."""

    title: str
    description: str
    category: str  # apps.resources.models.Category
    visibility: str  # apps.resources.models.Visibility
    kind: str
    versions: tuple[tuple[int, str, str, tuple[str, ...]], ...]


RESOURCES = [
    DemoResource(
        "Metodhandbok för innovationsslussen",
        "Hur slussen arbetar från inkommen idé till spridning: stegen, grindbesluten, "
        "bedömningskriterierna och vem som gör vad.",
        "handbook",
        "public",
        "pdf",
        (
            (
                330,
                "metodhandbok-innovationsslussen-1.0.pdf",
                "Första utgåvan.",
                (
                    "Metodhandbok för innovationsslussen, version 1.0",
                    "1. Inkommen: idén registreras och idécoachen kontaktar idébäraren.",
                    "2. Fånga: behov, lösning och målgrupp skärps.",
                    "3. Pröva: idén bedöms på slussens kriterier.",
                    "4. Testa: ett mindre test i en verksamhet.",
                    "5. Utveckla: utveckling eller pilot, ofta med partner.",
                    "6. Sprida: lösningen erbjuds de andra kommunerna.",
                ),
            ),
            (
                64,
                "metodhandbok-innovationsslussen-1.1.pdf",
                "Nytt kapitel om nyttorealisering och tydligare mål för varje steg.",
                (
                    "Metodhandbok för innovationsslussen, version 1.1",
                    "1. Inkommen: första kontakt inom tio arbetsdagar.",
                    "2. Fånga: behov, lösning och målgrupp skärps; liknande idéer kontrolleras.",
                    "3. Pröva: idén bedöms på slussens kriterier, vid behov med externa experter.",
                    "4. Testa: ett mindre test i en verksamhet med nyttohypoteser.",
                    "5. Utveckla: utveckling eller pilot, ofta med partner.",
                    "6. Sprida: lösningen erbjuds de andra kommunerna.",
                    "7. Nyttorealisering: identifiera, specificera, planera, realisera, följ upp.",
                ),
            ),
        ),
    ),
    DemoResource(
        "Idécoachens guide",
        "Stöd för idécoacher: det första samtalet, frågor som skärper idén, när idén är "
        "redo för bedömning och hur man lämnar över vid frånvaro.",
        "handbook",
        "internal",
        "pdf",
        (
            (
                280,
                "idecoachens-guide.pdf",
                "",
                (
                    "Idécoachens guide",
                    "Ring eller träffa idébäraren inom tio arbetsdagar.",
                    "Fråga: vilket problem löser idén, för vem, och hur märks det i dag?",
                    "Kontrollera liknande idéer i alla kommuner innan ni går vidare.",
                    "Skriv en anteckning efter varje samtal, så att en kollega kan ta över.",
                ),
            ),
        ),
    ),
    DemoResource(
        "Mall för nyttoplan",
        "Mall för att beskriva en idés nyttor: indikator, enhet, nuläge, mål, hur det mäts "
        "och vem som följer upp.",
        "template",
        "internal",
        "docx",
        (
            (
                210,
                "mall-nyttoplan.docx",
                "",
                (
                    "Nyttoplan",
                    "Idé och referensnummer:",
                    "Nytta (beskrivning):",
                    "Indikator och enhet:",
                    "Nuläge (baslinje) och mål:",
                    "Hur och hur ofta mäts det:",
                    "Nyttoägare:",
                ),
            ),
        ),
    ),
    DemoResource(
        "Mall för testplan",
        "Planera ett test i en verksamhet: syfte, hypotes, deltagare, tidsplan, vad som "
        "mäts och hur resultatet återkopplas.",
        "template",
        "internal",
        "docx",
        (
            (
                175,
                "mall-testplan.docx",
                "",
                (
                    "Testplan",
                    "Syfte med testet:",
                    "Hypotes: vi tror att … leder till …",
                    "Var och med vilka testar vi:",
                    "Tidsplan:",
                    "Vad mäter vi och hur:",
                    "Hur återkopplar vi resultatet till idébäraren och verksamheten:",
                ),
            ),
        ),
    ),
    DemoResource(
        "Har du en idé? – folder till medarbetare",
        "Folder att lägga i personalrum och dela ut på arbetsplatsträffar: så lämnar du "
        "in en idé, och vad som händer sedan.",
        "leaflet",
        "public",
        "pdf",
        (
            (
                240,
                "folder-har-du-en-ide.pdf",
                "",
                (
                    "Har du en idé som kan göra kommunen bättre?",
                    "Lämna in den på slussens webbplats, det tar fem minuter.",
                    "Du behöver inget konto, och mobilen räcker.",
                    "En idécoach i din kommun hör av sig inom tio arbetsdagar.",
                ),
            ),
        ),
    ),
    DemoResource(
        "Innovationsslussen för chefer",
        "Kort folder om chefens roll: att ge medarbetare tid att pröva idéer och att ta "
        "emot tester i verksamheten.",
        "leaflet",
        "public",
        "pdf",
        (
            (
                150,
                "innovationsslussen-for-chefer.pdf",
                "",
                (
                    "Innovationsslussen för chefer",
                    "Uppmuntra idéer på arbetsplatsträffar.",
                    "Ge tid och mandat att testa i liten skala.",
                    "Följ upp nyttan tillsammans med idécoachen.",
                ),
            ),
        ),
    ),
    DemoResource(
        "Så fungerar slussen – bildspel",
        "Bildspel att visa på ledningsgrupper och arbetsplatsträffar, som PDF.",
        "presentation",
        "public",
        "pdf",
        (
            (
                120,
                "sa-fungerar-slussen.pdf",
                "",
                (
                    "Så fungerar innovationsslussen",
                    "15 kommuner, en gemensam sluss.",
                    "Från idé till spridning i sex steg.",
                    "Nyttan följs upp och summeras för alla kommuner.",
                ),
            ),
        ),
    ),
    DemoResource(
        "Checklista för första kontakten",
        "Punktlista att ha framme vid det första samtalet med en idébärare.",
        "template",
        "internal",
        "txt",
        (
            (
                90,
                "checklista-forsta-kontakten.txt",
                "",
                (
                    "Checklista för första kontakten",
                    "- Tacka för idén och berätta hur slussen fungerar.",
                    "- Fråga om behovet: vem har problemet och hur ofta?",
                    "- Fråga om samtycke till publicering i idébanken.",
                    "- Boka nästa steg och skriv en anteckning på idén.",
                ),
            ),
        ),
    ),
]

# Newsletter subscribers: fictional addresses. The last two did not stay: one never
# confirmed, one unsubscribed.
NEWSLETTER_SUBSCRIBERS = [
    "lena.axelsson@falkoping.example.se",
    "mikael.ros@lidkoping.example.se",
    "sanna.berg@skovde.example.se",
    "ove.lindholm@mariestad.example.se",
    "amina.hussein@skara.example.se",
    "tina.wall@tidaholm.example.se",
    "johan.brandt@vara.example.se",
    "erika.nord@hjo.example.se",
    "kim.sandell@tibro.example.se",
    "fredrika.lind@gotene.example.se",
    "goran.olander@toreboda.example.se",
    "helen.sjo@essunga.example.se",
    "rasmus.vik@grastorp.example.se",
    "ulla.hellman@gullspang.example.se",
    "victor.palm@karlsborg.example.se",
    "information@foretagarna-skaraborg.example.se",
    "innovation@hogskolan.example.se",
    "nyheter@regionen.example.se",
    "maja.frost@example.se",
    "aron.wiik@example.se",
    "pending.invanare@example.se",
    "slutat.prenumerera@example.se",
]
NEWSLETTER_CONFIRMED = 20


@dataclass(frozen=True)
class DemoNewsletter:
    """An issue: `days_ago` it was sent (None: still a draft), and its blocks in order:
    ("text", heading, text), ("showcase", heading, ""), ("trainings", heading, ""),
    ("figures", heading, "")."""

    subject: str
    intro: str
    days_ago: int | None
    blocks: tuple[tuple[str, str, str], ...]


NEWSLETTERS = [
    DemoNewsletter(
        "Nyheter från innovationsslussen: idéer som gör skillnad",
        "Välkommen till slussens första nyhetsbrev! Här berättar vi om idéer från "
        "medarbetare i Skaraborgs femton kommuner som har testats och nu används.",
        70,
        (
            (
                "text",
                "Slussen i siffror",
                "Sedan starten har medarbetare lämnat in hundratals idéer. Varje idé får en "
                "idécoach i den egna kommunen, och de bästa prövas, testas och sprids till de "
                "andra kommunerna.",
            ),
            ("showcase", "Från idé till verklighet", ""),
            (
                "text",
                "Lämna in din idé",
                "Har du en idé som kan göra vardagen bättre för invånare eller kollegor? Det "
                "tar fem minuter att lämna in den, och du behöver inget konto.",
            ),
        ),
    ),
    DemoNewsletter(
        "Nyhetsbrev: nya berättelser och kommande utbildningar",
        "I det här numret: fler idéer som har spridits mellan kommunerna, och utbildningarna "
        "för chefer som ni kan anmäla er till nu.",
        12,
        (
            ("showcase", "Nya berättelser", ""),
            ("trainings", "Anmäl dig till en utbildning", ""),
            ("figures", "Slussen just nu", ""),
            (
                "text",
                "Tack till alla idébärare",
                "Bakom varje berättelse finns en medarbetare som såg ett behov och tog steget "
                "att lämna in en idé. Tack!",
            ),
        ),
    ),
    DemoNewsletter(
        "Nyhetsbrev: välkommen till slussens öppna hus",
        "Utkast. Nästa nummer berättar om slussens öppna hus och om metodhandbokens nya "
        "kapitel om nyttorealisering.",
        None,
        (
            (
                "text",
                "Öppet hus",
                "Kom och träffa idécoacherna och processledarna, hör om idéerna som testas "
                "just nu och ta med din egen idé.",
            ),
            ("trainings", "Kommande utbildningar", ""),
        ),
    ),
]
