export { countRows, createCustomerWithTickets, createPrivacyOfficer, getTask, openLoan } from "@/test/fixtures";
