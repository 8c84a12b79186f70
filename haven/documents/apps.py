from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "haven.documents"
    label = "documents"

    def ready(self) -> None:
        from haven.documents.storage import rotate_documents
        from haven.lib.crypto import register_rotation

        register_rotation("documents.document (stored files)", rotate_documents)
