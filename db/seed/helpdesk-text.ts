// What people write to the helpdesk. `{instrument}` and `{term}` are filled per ticket.

export type Topic = { title: string; ask: string[]; reply: string[] };

export const TOPICS: Topic[] = [
  {
    title: "Question about lesson times",
    ask: [
      "could the {instrument} lesson on Tuesdays move to a later slot? School now ends at 3.30 pm.",
      "is there a free slot for {instrument} on Thursday afternoons this term?",
    ],
    reply: ["we have moved the lesson to Tuesday, 4.15 pm, starting next week.", "Thursday at 5 pm is free; the teacher has confirmed it."],
  },
  {
    title: "Invoice for the {term}",
    ask: [
      "the invoice for the {term} seems to include the ensemble fee twice. Could you check it?",
      "we paid the invoice for the {term} by bank transfer on Monday, but received a reminder today.",
    ],
    reply: ["you are right, we have corrected the invoice and sent you a new one.", "the payment has arrived in the meantime; please ignore the reminder."],
  },
  {
    title: "Cancellation of {instrument} lessons",
    ask: ["we would like to cancel the {instrument} lessons at the end of the {term}.", "unfortunately we are moving away and have to cancel the lessons."],
    reply: ["we have received your cancellation; the last lesson will be at the end of the {term}.", "sorry to hear that. The cancellation is confirmed."],
  },
  {
    title: "Instrument hire: damage to the {instrument}",
    ask: ["the hired {instrument} fell over during practice and now has a crack near the bridge.", "a string of the hired {instrument} broke and the peg is loose."],
    reply: ["please bring the instrument to the office; our repairer will look at it on Friday.", "the repair is covered by the hire insurance."],
  },
  {
    title: "Change of address",
    ask: ["we have moved. Please send all letters to our new address from now on.", "please note our new phone number and address for the school records."],
    reply: ["thank you, we have updated your record.", "done – the next invoice will go to the new address."],
  },
  {
    title: "Trial lesson",
    ask: ["our daughter would love to try the {instrument}. Do you offer trial lessons?", "is a trial lesson for {instrument} possible before we register?"],
    reply: ["a trial lesson is free of charge; how about next Wednesday at 4 pm?", "the teacher can offer a trial lesson on Saturday morning."],
  },
  {
    title: "Waiting list for {instrument}",
    ask: ["we have been on the waiting list for {instrument} for a while. Is there any news?", "please put us on the waiting list for {instrument} lessons."],
    reply: ["you are number four on the waiting list; we expect a place in the {term}.", "we have added you to the waiting list."],
  },
  {
    title: "SEPA direct debit mandate",
    ask: ["we changed banks. Attached is the new direct debit mandate.", "please stop collecting the fees from the old account."],
    reply: ["the new mandate is registered and will be used from the next collection.", "thank you, the account has been changed."],
  },
  {
    title: "Tickets for the summer concert",
    ask: ["can we still get four tickets for the summer concert?", "is the summer concert open to grandparents as well?"],
    reply: ["tickets are free; please collect them at the office.", "of course – everyone is welcome, entry is free."],
  },
  {
    title: "Certificate of attendance",
    ask: ["for the scholarship application I need a certificate of attendance for the {term}.", "could you confirm the lessons taken in the {term} for the tax office?"],
    reply: ["the certificate is attached.", "we have posted the certificate to your address."],
  },
  {
    title: "Request for access to my data",
    ask: ["under Art. 15 GDPR I would like to know which data you hold about me.", "please send me a copy of all data you store about our family."],
    reply: ["we have received your request and will answer within one month.", "the export of your data is attached."],
  },
  {
    title: "Missed lessons due to illness",
    ask: ["our son has been ill for two weeks and missed his {instrument} lessons. Can they be made up?", "I will miss the next two lessons because of an operation."],
    reply: ["the teacher will offer two extra lessons before the holidays.", "get well soon – the lessons will be made up next month."],
  },
];

export const FOLLOW_UPS = [
  "Thank you, that works for us.",
  "Sorry, one more question: are there lessons during the autumn holidays?",
  "We have not heard back yet – could you please check?",
  "Attached you will find the requested document.",
  "Many thanks for the quick help!",
];

export const GENERIC_REPLIES = [
  "thank you, we have noted this.",
  "we are looking into it and will get back to you by the end of the week.",
  "there are no lessons during the school holidays.",
];

export const NOTES = [
  "Called back, left a message on the answering machine.",
  "Forwarded to the accounting office.",
  "Teacher informed.",
  "Checked the instrument: scratch on the back, no structural damage.",
  "Confirmed by phone.",
  "Waiting for the signed form.",
];

export type Mentioned = { name: string; email: string | null; phone: string | null };

export function mention(direction: "incoming" | "outgoing" | "note", m: Mentioned, variant: number): string {
  if (direction === "outgoing" && m.email) return `As requested, we have also informed ${m.name} (${m.email}).`;
  if (direction === "note") return `Spoke to ${m.name}${m.phone ? `, ${m.phone}` : ""}${m.email ? ` <${m.email}>` : ""}.`;
  if (m.email && (variant % 3 !== 1 || !m.phone)) {
    return variant % 3 === 0
      ? `Please also write to ${m.email} – ${m.name.split(" ")[0]} takes care of the payments.`
      : `${m.name} (${m.email}) would like to join as well.`;
  }
  return m.phone ? `You can also reach ${m.name} on ${m.phone}.` : `${m.name} sends kind regards.`;
}

export function bounceBody(email: string): string {
  const host = email.split("@")[1];
  return [
    "This is the mail system at host mail.musikschule.example.",
    "",
    "I'm sorry to have to inform you that your message could not be delivered to one or more recipients.",
    "",
    `<${email}>: host mx.${host} said: 550 5.1.1 <${email}>: Recipient address rejected: User unknown in virtual mailbox table`,
  ].join("\n");
}
