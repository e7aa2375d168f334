"""Editors cannot build a wrong tree: each page type accepts only its intended parents and children."""

from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase

from courses.models import (
    CourseIndexPage,
    CoursePage,
    FacilitatorGuideIndexPage,
    FacilitatorGuidePage,
    HomePage,
    LessonPage,
    ModulePage,
)


class PageTreeRulesTests(WagtailPageTestCase):
    def test_home_page_sits_at_the_root_and_holds_the_two_indexes(self):
        self.assertAllowedParentPageTypes(HomePage, {Page})
        self.assertAllowedSubpageTypes(HomePage, {CourseIndexPage, FacilitatorGuideIndexPage})

    def test_course_index_holds_only_courses(self):
        self.assertAllowedParentPageTypes(CourseIndexPage, {HomePage})
        self.assertAllowedSubpageTypes(CourseIndexPage, {CoursePage})

    def test_course_holds_only_modules(self):
        self.assertAllowedParentPageTypes(CoursePage, {CourseIndexPage})
        self.assertAllowedSubpageTypes(CoursePage, {ModulePage})

    def test_module_holds_only_lessons(self):
        self.assertAllowedParentPageTypes(ModulePage, {CoursePage})
        self.assertAllowedSubpageTypes(ModulePage, {LessonPage})

    def test_lesson_is_a_leaf_inside_a_module(self):
        self.assertAllowedParentPageTypes(LessonPage, {ModulePage})
        self.assertAllowedSubpageTypes(LessonPage, set())

    def test_guides_live_only_under_the_guide_index(self):
        self.assertAllowedParentPageTypes(FacilitatorGuideIndexPage, {HomePage})
        self.assertAllowedSubpageTypes(FacilitatorGuideIndexPage, {FacilitatorGuidePage})
        self.assertAllowedParentPageTypes(FacilitatorGuidePage, {FacilitatorGuideIndexPage})
        self.assertAllowedSubpageTypes(FacilitatorGuidePage, set())

    def test_a_lesson_cannot_be_created_directly_under_a_course(self):
        self.assertCanNotCreateAt(CoursePage, LessonPage)
        self.assertCanNotCreateAt(CourseIndexPage, ModulePage)
        self.assertCanNotCreateAt(HomePage, CoursePage)
        self.assertCanCreateAt(ModulePage, LessonPage)

    def test_there_is_only_one_home_page(self):
        root = Page.get_first_root_node()
        root.add_child(instance=HomePage(title="Beranda", slug="beranda-satu"))
        self.assertFalse(HomePage.can_create_at(root))
