from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "haven.documents"
    label = "documents"

    def ready(self) -> None:
        from haven.lib.crypto import register_rotation
        from haven.lib.lazy import lazy

        # Imported by the key rotation that calls it, not by every process's set-up.
        register_rotation(
            "documents.document (stored files)", lazy("haven.documents.storage.rotate_documents")
        )
