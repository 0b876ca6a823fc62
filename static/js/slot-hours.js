// Warns the hiring manager, as they pick, that a slot falls outside the engagement's business
// hours. A nicety only: the server decides (engagements.business_hours.is_outside_business_hours,
// whose rule this mirrors) and warns again after the slots are offered. The rows are in the
// viewer's zone; the business hours in the engagement's.
(function () {
  "use strict";
  const form = document.querySelector("form[data-business-zone]");
  if (!form || typeof Intl === "undefined") return;
  const zone = form.dataset.businessZone;
  const viewerZone = form.dataset.viewerZone;
  const weekdays = form.dataset.businessWeekdays.split("").map(Number);
  const minutesOf = (text) => Number(text.slice(0, 2)) * 60 + Number(text.slice(3, 5));
  const opening = minutesOf(form.dataset.businessStart);
  const closing = minutesOf(form.dataset.businessEnd);
  const dayNumbers = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };

  function partsIn(utcMs, timeZone) {
    const parts = new Intl.DateTimeFormat("en-US", {
      timeZone, hourCycle: "h23", weekday: "short", year: "numeric", month: "2-digit", day: "2-digit",
      hour: "2-digit", minute: "2-digit",
    }).formatToParts(new Date(utcMs));
    const value = (type) => parts.find((part) => part.type === type).value;
    return {
      weekday: dayNumbers[value("weekday")],
      date: `${value("year")}-${value("month")}-${value("day")}`,
      minutes: Number(value("hour")) * 60 + Number(value("minute")),
      asUtc: Date.UTC(+value("year"), +value("month") - 1, +value("day"), +value("hour"), +value("minute")),
    };
  }

  function utcOf(dateText, timeText, timeZone) {
    const [year, month, day] = dateText.split("-").map(Number);
    const guess = Date.UTC(year, month - 1, day, Number(timeText.slice(0, 2)), Number(timeText.slice(3, 5)));
    let utc = guess - (partsIn(guess, timeZone).asUtc - guess);
    utc = guess - (partsIn(utc, timeZone).asUtc - utc);
    return utc;
  }

  function check(row) {
    const hint = row.querySelector(".slot-hours-warning");
    const date = row.querySelector("input[type=date]");
    const start = row.querySelector("input[type=time]");
    const length = row.querySelector("select");
    if (!hint || !date || !start) return;
    let outside = false;
    if (date.value && /^\d\d:\d\d/.test(start.value)) {
      try {
        const startsAt = utcOf(date.value, start.value, viewerZone);
        const endsAt = startsAt + Number(length ? length.value : 60) * 60000;
        const from = partsIn(startsAt, zone);
        const to = partsIn(endsAt, zone);
        outside =
          !weekdays.includes(from.weekday) || from.date !== to.date || from.minutes < opening || to.minutes > closing;
      } catch (error) {
        outside = false; // an unknown zone or a half-typed value: the server still checks
      }
    }
    hint.hidden = !outside;
  }

  form.querySelectorAll(".slot-row").forEach((row) => {
    row.addEventListener("input", () => check(row));
    row.addEventListener("change", () => check(row));
    check(row);
  });
})();
