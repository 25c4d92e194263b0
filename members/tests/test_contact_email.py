"""A person's e-mail has one precedence (``Person.contact_email``): the register's, else the login's."""

from members.models import Person, user_contact_email


def test_the_register_email_comes_first(users):
    person = users["member"].person
    person.email = "kazakov@sut.example"
    assert person.contact_email == "kazakov@sut.example"
    assert user_contact_email(users["member"]) == "kazakov@sut.example"


def test_without_a_register_email_the_logins_is_used(users):
    person = users["member"].person
    assert person.email == "" and person.contact_email == users["member"].email


def test_a_person_without_a_login_or_email_has_none(demo):
    assert Person(last_name="Новиков").contact_email == ""


def test_a_login_without_a_register_entry_uses_its_own(users):
    assert user_contact_email(users["admin"]) == "admin@demo.cluster-portal.local"
