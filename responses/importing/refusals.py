"""Why a letter is not imported."""


class ImportRefused(Exception):
    """The letter cannot be imported as it stands; the message says why, in Chinese."""


class DuplicateLetter(ImportRefused):
    def __init__(self, response):
        self.response = response
        super().__init__(
            f"重复导入：{response.proposal}已有{response.department}的同一答复函"
            f"（答复函编号 {response.pk}），未再导入。"
        )
