"""Cartable's recognizers for Quebec school data, one per file, and the registry table."""

from anonymization.recognizers.birth_date_recognizer import BirthDateRecognizer
from anonymization.recognizers.code_permanent_recognizer import CodePermanentRecognizer
from anonymization.recognizers.file_number_recognizer import FileNumberRecognizer
from anonymization.recognizers.phone_recognizer import QuebecPhoneRecognizer
from anonymization.recognizers.postal_code_recognizer import PostalCodeRecognizer
from anonymization.recognizers.ramq_recognizer import RamqRecognizer
from anonymization.recognizers.saaq_licence_recognizer import SaaqLicenceRecognizer
from anonymization.recognizers.sin_recognizer import SinRecognizer
from anonymization.recognizers.street_address_recognizer import StreetAddressRecognizer

RECOGNIZERS = {
    "code_permanent": CodePermanentRecognizer,
    "ramq_number": RamqRecognizer,
    "sin": SinRecognizer,
    "postal_code": PostalCodeRecognizer,
    "phone_number": QuebecPhoneRecognizer,
    "saaq_licence": SaaqLicenceRecognizer,
    "birth_date": BirthDateRecognizer,
    "file_number": FileNumberRecognizer,
    "home_address": StreetAddressRecognizer,
}

__all__ = ["RECOGNIZERS"]
