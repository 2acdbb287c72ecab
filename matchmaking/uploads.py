"""Uploads kept in memory and capped: an oversized file is never written to disk.

Django writes uploads larger than FILE_UPLOAD_MAX_MEMORY_SIZE to a temporary file before any
form sees them, so a 30 MB "logo" filled the disk before it was refused. This handler keeps
at most ``IMAGE_MAX_BYTES`` and one byte of each file and drops the rest while counting it;
the file's ``size`` is the real one, so the image validator refuses it with its message
("larger than 2 MB") next to the field.
"""

from io import BytesIO

from django.core.files.uploadedfile import InMemoryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler

from .validators import IMAGE_MAX_BYTES


class CappedUploadHandler(FileUploadHandler):
    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.buffer = BytesIO()
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        kept = IMAGE_MAX_BYTES + 1 - self.received
        if kept > 0:
            self.buffer.write(raw_data[:kept])
        self.received += len(raw_data)
        return None  # consumed here; no other handler stores it

    def file_complete(self, file_size):
        self.buffer.seek(0)
        return InMemoryUploadedFile(
            file=self.buffer,
            field_name=self.field_name,
            name=self.file_name,
            content_type=self.content_type,
            size=self.received,
            charset=self.charset,
            content_type_extra=self.content_type_extra,
        )
